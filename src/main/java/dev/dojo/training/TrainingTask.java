package dev.dojo.training;

import ai.djl.Device;

/** A kind of job Dojo can train: its defaults and ranges, its network, and its training loop. */
public interface TrainingTask {

    String name();

    TaskDescription describe();

    /** Fills defaults into a request; throws {@link InvalidSpecException} naming each bad field. */
    TrainingSpec resolve(Hyperparameters requested, DataSpec data);

    /** A fresh, uninitialised network of the shape the spec asks for. */
    Network network(TrainingSpec spec);

    /**
     * Trains the spec, from scratch or from a checkpoint this task wrote earlier.
     *
     * @param resumeFrom a checkpoint to continue from, or null
     */
    TrainingResult train(TrainingSpec spec, byte[] resumeFrom, TrainingListener listener, Device device);
}
