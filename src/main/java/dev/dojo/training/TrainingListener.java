package dev.dojo.training;

/** Receives what a training run produces and tells it when to stop. Called on the training thread. */
public interface TrainingListener {

    /** One metric point; {@code step} counts optimizer steps from the start of the job. */
    void onMetric(int epoch, long step, String name, double value);

    /** A checkpoint, encoded by {@link CheckpointCodec}, written after {@code epoch} finished. */
    void onCheckpoint(int epoch, long step, byte[] checkpoint);

    /** An epoch finished (its metrics and checkpoint, if any, were reported before this call). */
    default void onEpochEnd(int epoch) {}

    /**
     * Polled between steps; returning true stops the run at once. The run writes one more
     * checkpoint first when {@link #checkpointOnStop()} says so.
     */
    boolean shouldStop();

    /** Whether a stopping run should checkpoint where it is (a graceful shutdown) or not (a cancel). */
    default boolean checkpointOnStop() {
        return false;
    }

    /** A classifier's final scores on its test set, reported once at the end of a completed run. */
    default void onEvaluation(Evaluation evaluation) {}
}
