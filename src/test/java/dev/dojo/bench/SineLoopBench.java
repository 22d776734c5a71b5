package dev.dojo.bench;

import ai.djl.Device;
import java.util.List;
import dev.dojo.training.SineRegressionTask;
import dev.dojo.training.TrainingListener;
import dev.dojo.training.TrainingSpec;

/**
 * The service's sine training loop on its own: the seed spec, the same code a worker runs, with a
 * listener that keeps the last loss. Run by {@code bench/sine.sh}; prints one JSON line per run. The
 * first run is a cold JVM (the JIT has compiled nothing yet); a worker node warms up before its
 * first claim, so later runs are what a worker's jobs see.
 */
public final class SineLoopBench {

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        SineRegressionTask task = new SineRegressionTask();
        TrainingSpec spec = task.resolve(null, null);
        for (int run = 0; run < runs; run++) {
            double[] last = new double[1];
            long start = System.nanoTime();
            task.train(spec, null, new TrainingListener() {
                public void onMetric(int epoch, long step, String name, double value) {
                    if (name.equals("train_loss")) {
                        last[0] = value;
                    }
                }
                public void onCheckpoint(int epoch, long step, byte[] checkpoint) { }
                public boolean shouldStop() { return false; }
            }, List.of(Device.cpu()));
            double ms = (System.nanoTime() - start) / 1e6;
            System.out.printf("{\"peer\":\"dojo-training-loop\",\"jvm\":\"%s\",\"steps\":500,\"ms\":%.0f,\"us_per_step\":%.0f,\"final_mse\":%.4f}%n",
                    run == 0 ? "cold" : "warm", ms, ms * 1000 / 500, last[0]);
        }
    }
}
