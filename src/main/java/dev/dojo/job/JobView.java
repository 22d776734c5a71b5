package dev.dojo.job;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the API shows of a job; fields not known yet are null rather than missing. */
public record JobView(
        String id,
        String task,
        String name,
        JobStatus status,
        JobSpec spec,
        Progress progress,
        int attempt,
        int maxAttempts,
        String device,
        String workerId,
        Instant leaseExpiresAt,
        boolean cancelRequested,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Map<String, LatestMetric> latestMetrics,
        String failureReason,
        List<AttemptView> attempts,
        String owner,
        String pendingReason) {

    /** Epochs done of epochs planned. */
    public record Progress(int epoch, int epochs, double fraction) {}

    /** The newest value of one metric. */
    public record LatestMetric(double value, int epoch, long step) {}

    /** One try at running the job: who ran it, when, and how it ended. */
    public record AttemptView(int attempt, String workerId, String device, Instant startedAt, Instant endedAt, String outcome,
                              String reason, Integer resumedFromCheckpoint, Integer resumedFromEpoch) {}
}
