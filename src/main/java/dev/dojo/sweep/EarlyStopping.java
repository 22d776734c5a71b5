package dev.dojo.sweep;

import dev.dojo.metric.MetricPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The early-stopping rules, as pure functions of each trial's objective history. A history is the
 * objective metric's points in step order.
 */
final class EarlyStopping {

    /** A decision to stop a trial, with the reason its job records. */
    record Stop(String rule, String reason) {}

    /** A trial the rule may judge: running, not stopped yet, with its history so far and the rung it passed (ASHA). */
    record Candidate(int number, List<MetricPoint> history, int rung, int epochs) {}

    private EarlyStopping() {}

    /**
     * The median rule: stop a trial whose latest value, at step s past minSteps, is worse than the median
     * of the other trials' values at s (each one's last value at or before s), counting only trials whose
     * history reaches s, once at least minTrials trials (the judged one included) do.
     */
    static Stop median(Plan.Rule rule, Plan.Objective objective, Candidate trial, Map<Integer, List<MetricPoint>> others) {
        if (trial.history().isEmpty()) {
            return null;
        }
        MetricPoint latest = trial.history().get(trial.history().size() - 1);
        if (latest.step() < rule.minSteps()) {
            return null;
        }
        List<Double> values = new ArrayList<>();
        others.forEach((number, history) -> {
            if (number != trial.number() && !history.isEmpty() && history.get(history.size() - 1).step() >= latest.step()) {
                values.add(valueAt(history, latest.step(), false));
            }
        });
        if (values.size() + 1 < rule.minTrials()) {
            return null;
        }
        double median = median(values);
        if (!objective.better(median, latest.value())) {
            return null;
        }
        return new Stop("median", String.format("%s %s at step %d is worse than the median %s of %d other trial(s) at that step",
                objective.metric(), latest.value(), latest.step(), median, values.size()));
    }

    /**
     * ASHA, asynchronously: rungs at minEpochs × reductionFactor^k epochs (below the trial's last epoch).
     * When a trial first reaches a rung, it goes on only if its value there is among the best
     * 1/reductionFactor (at least one) of the values every trial recorded at that rung so far; a trial
     * once promoted past a rung is never judged at it again.
     *
     * @return the stop, or null with {@code promoted} holding the highest rung the trial passed (or -1)
     */
    static Stop asha(Plan.Rule rule, Plan.Objective objective, Candidate trial, Map<Integer, List<MetricPoint>> all, int[] promoted) {
        promoted[0] = trial.rung();
        if (trial.history().isEmpty()) {
            return null;
        }
        int reached = trial.history().get(trial.history().size() - 1).epoch();
        for (int k = trial.rung() + 1; ; k++) {
            long milestone = rung(rule, k);
            if (milestone > reached || milestone >= trial.epochs()) {
                return null;
            }
            double mine = valueAt(trial.history(), milestone, true);
            List<Double> recorded = new ArrayList<>();
            all.forEach((number, history) -> {
                if (!history.isEmpty() && history.get(history.size() - 1).epoch() >= milestone) {
                    recorded.add(valueAt(history, milestone, true));
                }
            });
            recorded.sort(objective.maximise() ? Comparator.reverseOrder() : Comparator.naturalOrder());
            int keep = Math.max(1, (int) Math.ceil(recorded.size() / (double) rule.reductionFactor()));
            double cutoff = recorded.get(Math.min(keep, recorded.size()) - 1);
            if (objective.better(cutoff, mine)) {
                return new Stop("asha", String.format("%s %s at rung %d (epoch %d) is not among the best %d of %d trial(s) there (cutoff %s)",
                        objective.metric(), mine, k, milestone, keep, recorded.size(), cutoff));
            }
            promoted[0] = k;
        }
    }

    static long rung(Plan.Rule rule, int k) {
        long milestone = rule.minEpochs();
        for (int i = 0; i < k && milestone < Integer.MAX_VALUE; i++) {
            milestone *= rule.reductionFactor();
        }
        return milestone;
    }

    /** The last value at or before {@code at}, by epoch or by step; the first value when none is that early. */
    static double valueAt(List<MetricPoint> history, long at, boolean byEpoch) {
        double value = history.get(0).value();
        for (MetricPoint p : history) {
            if ((byEpoch ? p.epoch() : p.step()) > at) {
                break;
            }
            value = p.value();
        }
        return value;
    }

    /** NaN sorts last: a diverged trial never sets the median. */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparing((Double v) -> v.isNaN()).thenComparing(Comparator.naturalOrder()));
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
