package dev.dojo.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A validated sweep with every default filled in and every trial's parameters drawn: what the driver
 * runs, stored as JSON with the sweep so that any node drives it the same way.
 *
 * @param trials each trial's parameters (path to value), trial n at index n - 1
 */
record Plan(String algorithm, Objective objective, int maxTrials, int parallelism, int maxFailedTrials, Rule earlyStopping,
            List<LinkedHashMap<String, JsonNode>> trials) {

    /** The objective: a metric, "max" or "min", and an optional goal. */
    record Objective(String metric, String mode, Double goal) {

        boolean maximise() {
            return "max".equals(mode);
        }

        /** Whether {@code a} is strictly better than {@code b}; NaN is worse than anything. */
        boolean better(double a, double b) {
            if (Double.isNaN(a)) {
                return false;
            }
            if (Double.isNaN(b)) {
                return true;
            }
            return maximise() ? a > b : a < b;
        }

        boolean reaches(double value) {
            return goal != null && !Double.isNaN(value) && (maximise() ? value >= goal : value <= goal);
        }
    }

    /** An early-stopping rule: median (minSteps, minTrials) or asha (reductionFactor, minEpochs). */
    record Rule(String rule, int minSteps, int minTrials, int reductionFactor, int minEpochs) {}
}
