package dev.dojo.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * This machine's single-precision matrix-multiply rate through the same libtorch Dojo trains with
 * (all its threads): the yardstick for the MNIST benchmark's effective GFLOP/s. Run by
 * {@code bench/mnist.sh}; prints one JSON line.
 */
public final class SgemmBench {

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = manager.randomUniform(-1, 1, new Shape(n, n));
            for (int i = 0; i < 3; i++) {
                a.matMul(b).close();
            }
            double best = Double.MAX_VALUE;
            for (int i = 0; i < repeats; i++) {
                long t = System.nanoTime();
                NDArray c = a.matMul(b);
                c.getFloat(0, 0); // wait for the result
                best = Math.min(best, (System.nanoTime() - t) / 1e9);
                c.close();
            }
            System.out.printf("{\"peer\":\"libtorch-sgemm\",\"n\":%d,\"best_s\":%.4f,\"gflops\":%.1f}%n",
                    n, best, 2.0 * n * n * n / best / 1e9);
        }
    }
}
