package dev.dojo.training;

/** How a run ended: all epochs done, or stopped because the listener asked. */
public record TrainingResult(Outcome outcome, int lastEpoch, long steps) {

    public enum Outcome { COMPLETED, STOPPED }
}
