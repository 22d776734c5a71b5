package dev.dojo.sweep;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** What the API shows of a sweep; fields not known yet are null rather than missing. */
record SweepView(String id, String tenant, String status, String reason, Instant createdAt, Instant endedAt, String algorithm,
                 Plan.Objective objective, int maxTrials, int parallelism, Counts counts, TrialView best, List<TrialView> trials,
                 JsonNode request) {

    /** Trials by status; {@code cancelled} leaves out the ones an early-stopping rule stopped, which {@code stopped} counts. */
    record Counts(int queued, int running, int succeeded, int failed, int cancelled, int stopped) {}

    /**
     * One trial: its number (1 up), its job (null for a moment before it is submitted), the parameters it
     * tries, its job's status, its objective metric's latest value, and the rule that stopped it, if one did.
     */
    record TrialView(int number, String jobId, LinkedHashMap<String, JsonNode> parameters, String status, Double objective,
                     String stoppedBy) {}
}
