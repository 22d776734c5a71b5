package dev.dojo.bench;

import ai.djl.Device;
import dev.dojo.dataset.MnistFiles;
import dev.dojo.training.Hyperparameters;
import dev.dojo.training.MnistTask;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainedModel;
import dev.dojo.training.TrainingSpec;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What one forward pass of a prediction costs, alone in a quiet JVM: {@link TrainedModel#forward}
 * (one libtorch thread for a single instance, all of them for a batch, as the service runs it) for
 * the seed's MiniCNN and the fast recipe's network, at batch sizes 1 to 64. Prints one JSON line per
 * size: wall and process CPU microseconds per pass and per instance. Run by
 * {@code bench/predict-profile.sh}; args MNIST_DIR.
 */
public final class ForwardPassBench {

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        MnistTask task = MnistTask.mnist(MnistFiles.mnist(dir, dir, "mnist-dir"));
        TaskCatalog catalog = new TaskCatalog(List.of(task));
        Hyperparameters hp = new Hyperparameters(null, null, null, null, null, null, null, 0L, null, null, null, null,
                null, null, null, null, null, null);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        SplittableRandom random = new SplittableRandom(0);
        for (String recipe : new String[] {"seed", "fast"}) {
            TrainingSpec spec = catalog.resolve(MnistTask.MNIST, recipe, hp, null);
            try (TrainedModel model = TrainedModel.untrained(task, spec, Device.cpu())) {
                for (int batch : new int[] {1, 2, 4, 6, 8, 16, 32, 64}) {
                    float[] inputs = new float[batch * 784];
                    for (int i = 0; i < inputs.length; i++) {
                        inputs[i] = (float) random.nextDouble();
                    }
                    int passes = Math.max(200, 6000 / batch);
                    for (int i = 0; i < passes / 4; i++) {
                        model.forward(inputs, batch);
                    }
                    long cpu0 = os.getProcessCpuTime();
                    long wall0 = System.nanoTime();
                    for (int i = 0; i < passes; i++) {
                        model.forward(inputs, batch);
                    }
                    double wallUs = (System.nanoTime() - wall0) / 1e3 / passes;
                    double cpuUs = (os.getProcessCpuTime() - cpu0) / 1e3 / passes;
                    System.out.printf("{\"model\":\"%s\",\"batch\":%d,\"passes\":%d,\"wall_us_per_pass\":%.0f,\"cpu_us_per_pass\":%.0f,"
                            + "\"wall_us_per_instance\":%.0f,\"cpu_us_per_instance\":%.0f}%n",
                            spec.hyperparameters().model(), batch, passes, wallUs, cpuUs, wallUs / batch, cpuUs / batch);
                }
            }
        }
    }
}
