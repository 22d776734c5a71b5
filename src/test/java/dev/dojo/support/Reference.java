package dev.dojo.support;

import ai.djl.Device;
import dev.dojo.training.Hyperparameters;
import dev.dojo.training.SineRegressionTask;
import dev.dojo.training.TrainingListener;
import dev.dojo.training.TrainingSpec;
import java.util.ArrayList;
import java.util.List;

/** Uninterrupted runs in this JVM, to compare interrupted distributed runs against. */
public final class Reference {

    private Reference() {}

    /** The train_loss of every epoch of a sine job with these settings, trained start to end. */
    public static List<Double> sineLosses(int epochs, List<Integer> hidden, long seed, int checkpointEvery) {
        SineRegressionTask task = new SineRegressionTask();
        TrainingSpec spec = task.resolve(new Hyperparameters(epochs, null, null, null, null, hidden, null, seed,
                null, null, null, null, checkpointEvery, null, null, null, null, null), null);
        List<Double> losses = new ArrayList<>();
        task.train(spec, null, new TrainingListener() {
            public void onMetric(int epoch, long step, String name, double value) {
                if (name.equals("train_loss")) {
                    losses.add(value);
                }
            }
            public void onCheckpoint(int epoch, long step, byte[] checkpoint) { }
            public boolean shouldStop() { return false; }
        }, List.of(Device.cpu()));
        return losses;
    }
}
