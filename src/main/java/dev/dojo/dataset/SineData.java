package dev.dojo.dataset;

import java.util.Random;

/**
 * The seed lesson's data: {@code samples} points on linspace(-1, 1) with targets
 * {@code sin(3.14·x) + noise·N(0,1)}. The seed's {@code randn / 5} is {@code noise = 0.2}.
 */
public record SineData(float[] inputs, float[] targets) {

    public static final double FREQUENCY = 3.14;

    /** Generates the data; the same seed always gives the same points. */
    public static SineData generate(int samples, double noise, long seed) {
        Random random = new Random(seed);
        float[] x = new float[samples];
        float[] y = new float[samples];
        for (int i = 0; i < samples; i++) {
            x[i] = samples == 1 ? -1f : (float) (-1.0 + 2.0 * i / (samples - 1));
            y[i] = (float) (Math.sin(FREQUENCY * x[i]) + noise * random.nextGaussian());
        }
        return new SineData(x, y);
    }
}
