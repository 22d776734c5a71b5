package dev.dojo.worker;

import ai.djl.Device;
import dev.dojo.training.Hyperparameters;
import dev.dojo.training.SineRegressionTask;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainingListener;
import dev.dojo.training.TrainingResult;
import dev.dojo.training.TrainingSpec;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Trains the seed's sine network for a few thousand throw-away steps before a node's first claim.
 * A fresh JVM runs DJL's Java side interpreted at first: the first thousand steps of a job take two
 * to three times as long as later ones, until the JIT has compiled the training path. Nothing of a
 * warm-up reaches the database, and it stops as soon as {@code stop} says real work is waiting.
 */
final class WarmUp {

    /** What a warm-up did: the steps it ran (fewer than asked when it was cut short) and how long they took. */
    record Result(int steps, Duration took, boolean cutShort) {}

    private WarmUp() {}

    static Result run(TaskCatalog tasks, int steps, Device device, BooleanSupplier stop) {
        Hyperparameters hp = new Hyperparameters(steps, null, null, null, null, null, null, 0L,
                null, null, null, steps, steps);
        TrainingSpec spec = tasks.get(SineRegressionTask.NAME).resolve(hp, null);
        long start = System.nanoTime();
        TrainingResult result = tasks.get(SineRegressionTask.NAME).train(spec, null, new TrainingListener() {
            @Override
            public void onMetric(int epoch, long step, String name, double value) {}

            @Override
            public void onCheckpoint(int epoch, long step, byte[] checkpoint) {}

            @Override
            public boolean shouldStop() {
                return stop.getAsBoolean();
            }
        }, device);
        return new Result(result.lastEpoch(), Duration.ofNanos(System.nanoTime() - start),
                result.outcome() != TrainingResult.Outcome.COMPLETED);
    }
}
