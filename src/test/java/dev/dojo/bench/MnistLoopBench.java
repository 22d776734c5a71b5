package dev.dojo.bench;

import ai.djl.Device;
import java.util.List;
import dev.dojo.dataset.MnistFiles;
import dev.dojo.training.MnistTask;
import dev.dojo.training.TrainingListener;
import dev.dojo.training.TrainingSpec;
import java.nio.file.Path;

/**
 * The service's MNIST training loop on its own: the seed spec ({@code {"task":"mnist"}}), the code
 * a worker runs, with a listener that keeps the epoch's {@code images_per_second} and test accuracy.
 * Run by {@code bench/mnist.sh}: args MNIST_DIR [RUNS]; prints one JSON line per run, the first in a
 * cold JVM.
 */
public final class MnistLoopBench {

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        MnistTask task = MnistTask.mnist(MnistFiles.mnist(dir, dir, "mnist-dir"));
        TrainingSpec spec = task.resolve(null, null);
        for (int run = 0; run < runs; run++) {
            double[] seen = new double[2];
            long start = System.nanoTime();
            task.train(spec, null, new TrainingListener() {
                public void onMetric(int epoch, long step, String name, double value) {
                    if (name.equals("images_per_second")) {
                        seen[0] = value;
                    } else if (name.equals("test_accuracy")) {
                        seen[1] = value;
                    }
                }
                public void onCheckpoint(int epoch, long step, byte[] checkpoint) { }
                public boolean shouldStop() { return false; }
            }, List.of(Device.cpu()));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("{\"peer\":\"dojo-training-loop\",\"jvm\":\"%s\",\"images_per_second\":%.0f,\"test_accuracy\":%.4f,\"job_seconds\":%.1f}%n",
                    run == 0 ? "cold" : "warm", seen[0], seen[1], seconds);
        }
    }
}
