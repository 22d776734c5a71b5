package dev.dojo.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dojo.dataset.MnistFiles;
import dev.dojo.system.NativeAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * With glibc's allocator tuned as the service starts it ({@link NativeAllocator}), a MiniCNN
 * training step reuses the memory of the step before instead of faulting fresh pages in. With the
 * defaults a step of 128 images faulted about 16,000 pages (64 MB) in on the training thread here;
 * tuned, none.
 * The test JVM runs libtorch on one thread, so the calling thread's fault counter sees every page
 * the step touches.
 */
class StepPageFaultsTest {

    @Test
    void aTrainingStepFaultsAlmostNoPagesIn() throws IOException {
        assertThat(NativeAllocator.missing(System.getenv("GLIBC_TUNABLES"))).as("surefire sets GLIBC_TUNABLES").isEmpty();
        MnistTask task = MnistTask.mnist(MnistFiles.unpinned("none", Path.of("none")));
        TrainingSpec spec = task.resolve(null, null);
        BinaryOperator<NDArray> loss = ClassifierTraining.loss("cross-entropy");
        try (TrainingSession session = new TrainingSession("mnist", () -> task.network(spec), spec.hyperparameters(), List.of(Device.cpu()), 1);
             NDManager data = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = data.randomUniform(0, 1, new Shape(128, 1, 28, 28));
            NDArray y = data.zeros(new Shape(128, 10));
            y.set(new ai.djl.ndarray.index.NDIndex(":, 3"), 1f);
            for (int i = 0; i < 5; i++) {
                step(session, x, y, loss);
            }
            long before = minorFaults();
            int steps = 10;
            for (int i = 0; i < steps; i++) {
                step(session, x, y, loss);
            }
            long perStep = (minorFaults() - before) / steps;
            assertThat(perStep).as("minor page faults per step").isLessThan(200);
        }
    }

    private static void step(TrainingSession session, NDArray x, NDArray y, BinaryOperator<NDArray> loss) {
        try (NDManager batch = session.manager().newSubManager()) {
            NDArray bx = x.duplicate();
            NDArray by = y.duplicate();
            bx.attach(batch);
            by.attach(batch);
            assertThat(session.step(bx, by, loss)).isFinite();
        }
    }

    /** This thread's minor page faults, from /proc/thread-self/stat (field 10). */
    private static long minorFaults() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
        return Long.parseLong(fields.get(7));
    }
}
