package dev.dojo.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.util.List;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {

    @Test
    void residentMemoryStaysFlatOverAHundredJobsInARow() throws IOException {
        SineRegressionTask task = new SineRegressionTask();
        TrainingSpec spec = task.resolve(new Hyperparameters(200, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null), null);
        long afterWarmUp = 0;
        for (int job = 1; job <= 100; job++) {
            RecordingListener listener = new RecordingListener();
            task.train(spec, null, listener, List.of(Device.cpu()));
            try (TrainedModel model = TrainedModel.load(task, spec, listener.checkpoints.get(9).bytes(), Device.cpu())) {
                model.forward(new float[] {0.5f}, 1);
            }
            if (job == 40) {
                // By now the JVM heap has grown to its working size; what grows after this is a leak.
                System.gc();
                afterWarmUp = residentKb();
            }
        }
        System.gc();
        long growthKb = residentKb() - afterWarmUp;
        // A leak of one step's activations (64×512 floats) per step would be 128 KB × 200 steps × 60 jobs,
        // about 1.5 GB; the bound leaves room for the allocator and JIT under a loaded machine.
        assertThat(growthKb).as("RSS growth over jobs 40 to 100, KB").isLessThan(160 * 1024);
    }

    private static long residentKb() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
    }
}
