package dev.dojo.training;

/**
 * The learning rate of each optimizer step, a pure function of the global step index (0 for the
 * first update) and the spec. Nothing about it is stateful: a run resumed from a checkpoint restores
 * the optimizer's step count and so continues the very same sequence.
 *
 * <ul>
 *   <li>{@code constant}: the learning rate at every step.
 *   <li>{@code onecycle}: PyTorch's {@code OneCycleLR} (two phases, cosine annealing): from
 *       {@code peak / 25} up to the peak over the first {@code warmupFraction} of the steps, then
 *       down to {@code peak / 25 / 10⁴} at the last step.
 *   <li>{@code cosine}: a linear warm-up from {@code peak / warmupSteps} to the peak over the first
 *       {@code warmupFraction} of the steps (none when it is 0), then half a cosine from the peak
 *       down to 0 after the last step.
 * </ul>
 * The job's {@code learningRate} is the peak of either shape.
 */
final class LearningRateSchedule {

    static final String CONSTANT = "constant";
    static final String ONE_CYCLE = "onecycle";
    static final String COSINE = "cosine";
    /** OneCycleLR's div_factor: the starting rate is the peak over this. */
    static final double ONE_CYCLE_DIV = 25;
    /** OneCycleLR's final_div_factor: the last rate is the starting rate over this. */
    static final double ONE_CYCLE_FINAL_DIV = 1e4;

    private final String kind;
    private final double peak;
    private final double warmupFraction;
    private final long totalSteps;

    LearningRateSchedule(String kind, double peak, Double warmupFraction, long totalSteps) {
        this.kind = kind == null ? CONSTANT : kind;
        this.peak = peak;
        this.warmupFraction = warmupFraction == null ? 0 : warmupFraction;
        this.totalSteps = Math.max(1, totalSteps);
        if (!this.kind.equals(CONSTANT) && !this.kind.equals(ONE_CYCLE) && !this.kind.equals(COSINE)) {
            throw new IllegalArgumentException("unknown learning-rate schedule " + kind);
        }
    }

    static LearningRateSchedule of(Hyperparameters hp, long totalSteps) {
        return new LearningRateSchedule(hp.lrSchedule(), hp.learningRate(), hp.warmupFraction(), totalSteps);
    }

    /** The learning rate of step {@code step} (0-based); steps past the planned end keep the last rate. */
    double at(long step) {
        long s = Math.min(Math.max(step, 0), totalSteps - 1);
        return switch (kind) {
            case ONE_CYCLE -> oneCycle(s);
            case COSINE -> cosine(s);
            default -> peak;
        };
    }

    private double oneCycle(long s) {
        double initial = peak / ONE_CYCLE_DIV;
        double last = initial / ONE_CYCLE_FINAL_DIV;
        double warmupEnd = warmupFraction * totalSteps - 1;
        double end = totalSteps - 1;
        if (s <= warmupEnd) {
            return anneal(initial, peak, warmupEnd <= 0 ? 1 : s / warmupEnd);
        }
        return anneal(peak, last, end - warmupEnd <= 0 ? 1 : (s - warmupEnd) / (end - warmupEnd));
    }

    private double cosine(long s) {
        long warmup = Math.round(warmupFraction * totalSteps);
        if (s < warmup) {
            return peak * (s + 1) / warmup;
        }
        return peak * 0.5 * (1 + Math.cos(Math.PI * (s - warmup) / (totalSteps - warmup)));
    }

    /** Cosine interpolation from {@code from} (at 0) to {@code to} (at 1). */
    private static double anneal(double from, double to, double fraction) {
        return to + (from - to) / 2 * (1 + Math.cos(Math.PI * fraction));
    }
}
