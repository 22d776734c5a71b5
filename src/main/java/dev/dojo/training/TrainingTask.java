package dev.dojo.training;

import ai.djl.Device;
import java.util.List;

/** A kind of job Dojo can train: its defaults and ranges, its network, and its training loop. */
public interface TrainingTask {

    String name();

    TaskDescription describe();

    /** Fills defaults into a request; throws {@link InvalidSpecException} naming each bad field. */
    TrainingSpec resolve(Hyperparameters requested, DataSpec data);

    /** A fresh, uninitialised network of the shape the spec asks for. */
    Network network(TrainingSpec spec);

    /**
     * Trains the spec, from scratch or from a checkpoint this task wrote earlier, on one device.
     *
     * @param resumeFrom a checkpoint to continue from, or null
     */
    default TrainingResult train(TrainingSpec spec, byte[] resumeFrom, TrainingListener listener, Device device) {
        return train(spec, resumeFrom, listener, List.of(device));
    }

    /**
     * Trains the spec on one device, or data-parallel over several devices of one node: each batch
     * is split across them and their gradients are summed before one update.
     *
     * @param resumeFrom a checkpoint to continue from, or null
     */
    TrainingResult train(TrainingSpec spec, byte[] resumeFrom, TrainingListener listener, List<Device> devices);
}
