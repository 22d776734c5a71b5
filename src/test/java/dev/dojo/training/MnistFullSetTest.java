package dev.dojo.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import dev.dojo.dataset.MnistFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seed's run on the full, pinned data sets, where they are on this machine; skipped elsewhere.
 * MNIST is looked for in -Ddojo.mnist.dir, then $DOJO_MNIST_DIR, then ./data/mnist (where the
 * service's default data directory keeps it); Fashion-MNIST where Debian's package puts it.
 */
class MnistFullSetTest {

    @Test
    void seedRunOnFullMnistReachesTheSeedsAccuracyInOneEpoch() {
        Path dir = mnistDirectory();
        assumeTrue(dir != null, "no full MNIST: set -Ddojo.mnist.dir or DOJO_MNIST_DIR, or fetch it into data/mnist");
        MnistTask task = MnistTask.mnist(MnistFiles.mnist(dir, Path.of("data"), "dojo.mnist.dir"));
        TrainingSpec spec = task.resolve(null, null);
        RecordingListener listener = new RecordingListener();

        long start = System.nanoTime();
        TrainingResult result = task.train(spec, null, listener, List.of(Device.cpu()));
        double seconds = (System.nanoTime() - start) / 1e9;

        double accuracy = listener.values("test_accuracy").get(0);
        System.out.printf("full MNIST, seed run: %.2f%% test accuracy, %.0f images/s, %.1f s in all%n",
                accuracy * 100, listener.values("images_per_second").get(0), seconds);
        assertThat(result.steps()).isEqualTo(469);
        assertThat(listener.evaluations.get(0).examples()).isEqualTo(10_000);
        // The seed reports 88.37% after this one epoch of SGD.
        assertThat(accuracy).isGreaterThanOrEqualTo(0.88);
    }

    @Test
    void fashionMnistTrainsOnTheDebianPackagesFiles() {
        assumeTrue(Files.isDirectory(MnistFiles.FASHION_MNIST_DIR), "dataset-fashion-mnist is not installed");
        MnistTask task = MnistTask.fashionMnist(MnistFiles.fashionMnist(null, "dojo.fashion-mnist.dir"));
        TrainingSpec spec = task.resolve(new Hyperparameters(1, 0.001, "adam", null, null, List.of(256), null, null,
                "wide-net", 64, 5000, null, null, null, null, null, null, null), null);
        RecordingListener listener = new RecordingListener();

        task.train(spec, null, listener, List.of(Device.cpu()));

        Evaluation evaluation = listener.evaluations.get(0);
        assertThat(evaluation.classes()).isEqualTo(MnistTask.FASHION_CLASSES);
        assertThat(evaluation.examples()).isEqualTo(10_000);
        assertThat(evaluation.accuracy()).isGreaterThan(0.7);
        assertThat(((ClassScores) task.predictions(new float[][] {{0, 0, 0, 0, 0, 0, 0, 0, 0, 9}}).get(0)).label()).isEqualTo("Ankle boot");
    }

    private static Path mnistDirectory() {
        String configured = System.getProperty("dojo.mnist.dir", System.getenv("DOJO_MNIST_DIR"));
        Path dir = configured != null ? Path.of(configured) : Path.of("data", "mnist");
        return MnistFiles.FILES.stream().allMatch(f -> Files.exists(dir.resolve(f)) || Files.exists(dir.resolve(f + ".gz")))
                ? dir : null;
    }
}
