package dev.dojo.job;

import dev.dojo.training.InvalidSpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Validates a spec's quality gates at submit, and checks them on a run's final metric values. */
public final class Gates {

    /** Most gates one job may carry. */
    public static final int MAX_GATES = 16;
    /** What a failure reason of a missed gate starts with. */
    public static final String PREFIX = "GATE";

    private Gates() {}

    /** Every violation of {@code gates}, each naming its field ({@code gates[i].metric} …); none for null. */
    static List<InvalidSpecException.Violation> validate(List<Gate> gates, String task, List<String> recorded) {
        List<InvalidSpecException.Violation> problems = new ArrayList<>();
        if (gates == null) {
            return problems;
        }
        if (gates.size() > MAX_GATES) {
            problems.add(new InvalidSpecException.Violation("gates", "holds at most " + MAX_GATES + " gates, held " + gates.size()));
            return problems;
        }
        for (int i = 0; i < gates.size(); i++) {
            String at = "gates[" + i + "]";
            Gate gate = gates.get(i);
            if (gate == null) {
                problems.add(new InvalidSpecException.Violation(at, "must be an object such as {\"metric\": \"train_loss\", \"max\": 0.05}"));
                continue;
            }
            if (gate.metric() == null) {
                problems.add(new InvalidSpecException.Violation(at + ".metric", "is required; one of " + recorded));
            } else if (task != null && !recorded.contains(gate.metric())) {
                problems.add(new InvalidSpecException.Violation(at + ".metric", "task \"" + task + "\" never records "
                        + InvalidSpecException.quote(gate.metric()) + "; it records " + recorded));
            }
            if (gate.min() == null && gate.max() == null) {
                problems.add(new InvalidSpecException.Violation(at, "needs min, max or both"));
            }
            finite(problems, at + ".min", gate.min());
            finite(problems, at + ".max", gate.max());
            if (gate.min() != null && gate.max() != null && gate.min() > gate.max()) {
                problems.add(new InvalidSpecException.Violation(at + ".min", "must not exceed max (" + gate.max() + "), was " + gate.min()));
            }
        }
        return problems;
    }

    private static void finite(List<InvalidSpecException.Violation> problems, String field, Double bound) {
        if (bound != null && (bound.isNaN() || bound.isInfinite())) {
            problems.add(new InvalidSpecException.Violation(field, "must be a finite number, was " + bound));
        }
    }

    /** Each gate checked on the final values of the run's metrics (a metric with no value misses). */
    public static List<Gate.Result> check(List<Gate> gates, Map<String, Double> finalValues) {
        return gates.stream().map(g -> {
            Double value = finalValues.get(g.metric());
            return new Gate.Result(g.metric(), g.min(), g.max(), value, g.holds(value) ? Gate.Outcome.PASSED : Gate.Outcome.MISSED);
        }).toList();
    }

    /** Null when every gate passed; otherwise {@code GATE: } and each miss with its value and bound. */
    public static String failureReason(List<Gate.Result> results) {
        List<String> misses = new ArrayList<>();
        for (Gate.Result r : results) {
            if (r.result() != Gate.Outcome.MISSED) {
                continue;
            }
            String value = r.value() == null ? "no value recorded" : format(r.value());
            List<String> bounds = new ArrayList<>();
            if (r.min() != null && !(r.value() != null && r.value() >= r.min())) {
                bounds.add("min " + r.min());
            }
            if (r.max() != null && !(r.value() != null && r.value() <= r.max())) {
                bounds.add("max " + r.max());
            }
            misses.add(r.metric() + " = " + value + " misses " + String.join(" and ", bounds));
        }
        return misses.isEmpty() ? null : PREFIX + ": " + String.join("; ", misses);
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** The results the job view shows: the checked ones when there are, else each gate PENDING or NOT_CHECKED. */
    static List<Gate.Result> view(List<Gate> gates, List<Gate.Result> checked, boolean ended) {
        if (gates == null || gates.isEmpty()) {
            return null;
        }
        if (checked != null) {
            return checked;
        }
        Gate.Outcome outcome = ended ? Gate.Outcome.NOT_CHECKED : Gate.Outcome.PENDING;
        return gates.stream().map(g -> new Gate.Result(g.metric(), g.min(), g.max(), null, outcome)).toList();
    }
}
