package dev.dojo.training;

import java.util.Properties;

/**
 * The stop and checkpoint rules every training loop follows: a checkpoint every
 * {@code checkpointEvery} epochs and at the last one; a stop reported at once; and, for a stop that
 * asks for it (a graceful shutdown), one more checkpoint where the run is, unless nothing was
 * trained since the last one.
 */
final class EpochLoop {

    private final TrainingListener listener;
    private final TrainingSession session;
    private final int epochs;
    private final int checkpointEvery;
    private long savedAtStep;

    EpochLoop(TrainingListener listener, TrainingSession session, int epochs, int checkpointEvery) {
        this.listener = listener;
        this.session = session;
        this.epochs = epochs;
        this.checkpointEvery = checkpointEvery;
        this.savedAtStep = session.steps();
    }

    /** Whether the listener wants the run to stop now. */
    boolean shouldStop() {
        return listener.shouldStop();
    }

    /** Reports the end of {@code epoch}: its checkpoint when one is due (with {@code meta}), then the end itself. */
    /** Whether {@link #epochDone} writes a checkpoint at this epoch: every {@code checkpointEvery}, and the last. */
    boolean checkpointsAt(int epoch) {
        return epoch % checkpointEvery == 0 || epoch == epochs;
    }

    void epochDone(int epoch, Properties meta) {
        if (checkpointsAt(epoch)) {
            save(epoch, meta);
        }
        listener.onEpochEnd(epoch);
    }

    /** Ends a stopped run after {@code lastEpoch}, checkpointing where it is first when the stop asks for it. */
    TrainingResult stopped(int lastEpoch, Properties meta) {
        if (listener.checkpointOnStop() && session.steps() > savedAtStep) {
            save(lastEpoch, meta);
        }
        return new TrainingResult(TrainingResult.Outcome.STOPPED, lastEpoch, session.steps());
    }

    TrainingResult completed(int lastEpoch) {
        return new TrainingResult(TrainingResult.Outcome.COMPLETED, lastEpoch, session.steps());
    }

    private void save(int epoch, Properties meta) {
        listener.onCheckpoint(epoch, session.steps(), session.checkpoint(epoch, meta));
        savedAtStep = session.steps();
    }
}
