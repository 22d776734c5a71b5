package dev.dojo.training;

import ai.djl.Device;
import java.util.List;
import java.util.Optional;

/**
 * A kind of job Dojo can train, and everything the service needs to know about it: its defaults and
 * ranges, its network and training loop, what its input is, how its outputs read, and what it can
 * show. A new task is one implementation of this, registered as a bean.
 */
public interface TrainingTask {

    String name();

    TaskDescription describe();

    /**
     * The named sets of defaults a spec may start from ({@code "recipe"}); the first is
     * {@link Recipe#SEED}, the task's own defaults, which a spec without a recipe gets.
     */
    default List<Recipe> recipes() {
        return List.of(Recipe.seed());
    }

    /** Fills defaults into a request; throws {@link InvalidSpecException} naming each bad field. */
    TrainingSpec resolve(Hyperparameters requested, DataSpec data);

    /** A fresh, uninitialised network of the shape the spec asks for. */
    Network network(TrainingSpec spec);

    /**
     * Trains the spec on one device, or data-parallel over several devices of one node: each batch
     * is split across them and their gradients are summed before one update.
     *
     * @param resumeFrom a checkpoint to continue from, or null
     */
    TrainingResult train(TrainingSpec spec, byte[] resumeFrom, TrainingListener listener, List<Device> devices);

    /**
     * {@link #train}, starting from another job's weights and keeping some layers fixed. A task that
     * cannot warm-start refuses a non-null {@code warm}.
     */
    default TrainingResult train(TrainingSpec spec, byte[] resumeFrom, WarmStart warm, TrainingListener listener, List<Device> devices) {
        if (warm != null) {
            throw new JobCannotRunException("task " + name() + " cannot start from another job's weights");
        }
        return train(spec, resumeFrom, listener, devices);
    }

    /** The samples one epoch of the spec trains on: what training throughput counts. */
    long samplesPerEpoch(TrainingSpec spec);

    /**
     * The metrics a run of this task records, by name: what a quality gate may check. A gate on any
     * other metric is refused at submit.
     */
    default List<String> metrics() {
        return List.of();
    }

    /** What one instance of the network's input is, for decoding prediction requests. */
    InputKind input();

    /** What the network's outputs mean, one answer per row: a number, or {@link ClassScores}. */
    List<Object> predictions(float[][] outputs);

    /** The held-out images with their labels, for a classifier; empty for other tasks. */
    default Optional<TestSet> testSet() {
        return Optional.empty();
    }

    /** The points a curve-fitting task trains on, for its fit plot; empty for other tasks. */
    default Optional<FitData> fit(TrainingSpec spec) {
        return Optional.empty();
    }
}
