package dev.dojo.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * The smallest case of the fast-cnn's NaN: libtorch's CPU convolution, the fast-cnn's second (3×3,
 * 32 filters, a 12×12 input, batch 256) with each input channel count given, run on well-defined
 * operands (no NaN in them) once before and once after tensors full of NaN were freed. Freed memory
 * goes to the next allocation, so a convolution that reads memory it never wrote gives NaN, or other
 * outputs, the second time. One JSON line per channel count. Run by {@code bench/conv-channels.sh};
 * args: channel counts (default 16 20 24 32 40).
 */
public final class ConvChannelsRepro {

    public static void main(String[] args) {
        int[] counts = args.length == 0 ? new int[] {16, 20, 24, 32, 40}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(0);
            NDArray[][] operands = new NDArray[counts.length][];
            float[][] fresh = new float[counts.length][];
            // Every convolution once before anything was freed with NaN in it ...
            for (int c = 0; c < counts.length; c++) {
                operands[c] = new NDArray[] {manager.randomNormal(new Shape(256, counts[c], 12, 12)),
                        manager.randomNormal(new Shape(32, counts[c], 3, 3)).mul(0.1f), manager.zeros(new Shape(32))};
                fresh[c] = conv(manager, operands[c]);
            }
            // ... then dirty the heap: tensors of the sizes the convolutions allocate, full of NaN, freed ...
            long pixels = 256L * 40 * 12 * 12;
            for (int i = 0; i < 16; i++) {
                try (NDManager scratch = manager.newSubManager()) {
                    scratch.full(new Shape(pixels * (1 + i % 4)), Float.NaN);
                }
            }
            // ... and every convolution again on the same operands.
            for (int c = 0; c < counts.length; c++) {
                float[] dirty = conv(manager, operands[c]);
                int differ = 0;
                for (int i = 0; i < dirty.length; i++) {
                    differ += Float.compare(fresh[c][i], dirty[i]) != 0 ? 1 : 0;
                }
                System.out.printf("{\"inputChannels\":%d,\"outputs\":%d,\"nanBeforeNaNWasFreed\":%d,\"nanAfter\":%d,\"differ\":%d}%n",
                        counts[c], dirty.length, countNan(fresh[c]), countNan(dirty), differ);
            }
        }
    }

    private static float[] conv(NDManager manager, NDArray[] operands) {
        try (NDManager scope = manager.newSubManager()) {
            NDList out = Conv2d.conv2d(operands[0], operands[1], operands[2], new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1);
            out.attach(scope);
            return out.singletonOrThrow().toFloatArray();
        }
    }

    private static int countNan(float[] values) {
        int n = 0;
        for (float v : values) {
            n += Float.isNaN(v) ? 1 : 0;
        }
        return n;
    }
}
