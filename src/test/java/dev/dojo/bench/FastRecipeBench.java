package dev.dojo.bench;

import ai.djl.Device;
import dev.dojo.dataset.MnistFiles;
import dev.dojo.training.Hyperparameters;
import dev.dojo.training.MnistTask;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainingListener;
import dev.dojo.training.TrainingSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code fast} recipe's training loop on its own, the code a worker runs for
 * {@code {"task":"mnist","recipe":"fast","hyperparameters":{"seed":S}}}. Run by {@code bench/fast99.sh}
 * (or alone): args MNIST_DIR SEED...; prints one JSON line per seed with the test accuracy, the
 * epoch's images/s and the run's wall time (building the tensors, training, evaluation).
 */
public final class FastRecipeBench {

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        MnistTask task = MnistTask.mnist(MnistFiles.mnist(dir, dir, "mnist-dir"));
        TaskCatalog catalog = new TaskCatalog(List.of(task));
        task.testSet();
        for (int i = 1; i < args.length; i++) {
            long seed = Long.parseLong(args[i]);
            Hyperparameters hp = new Hyperparameters(null, null, null, null, null, null, null, seed, null, null, null, null,
                    null, null, null, null, null, null);
            TrainingSpec spec = catalog.resolve(MnistTask.MNIST, "fast", hp, null);
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
            System.out.printf("{\"peer\":\"dojo-fast-loop\",\"seed\":%d,\"images_per_second\":%.0f,\"test_accuracy\":%.4f,\"run_seconds\":%.1f}%n",
                    seed, seen[0], seen[1], seconds);
        }
    }
}
