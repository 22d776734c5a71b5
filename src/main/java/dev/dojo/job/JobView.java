package dev.dojo.job;

import dev.dojo.queue.JobRecords;
import dev.dojo.queue.JobStatus;
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
        List<JobRecords.Attempt> attempts,
        String tenant,
        String submittedByKey,
        String pendingReason,
        @io.swagger.v3.oas.annotations.media.Schema(description = "Each quality gate of the spec and how it came out; null "
                + "when the spec has none") List<Gate.Result> gates) {

    /**
     * Epochs done of epochs planned; the training throughput of the last finished epoch in images/s
     * and the estimated seconds left, each null while unknown (see {@link Throughput}).
     */
    public record Progress(int epoch, int epochs, double fraction, Double imagesPerSecond, Double etaSeconds) {}

    /** The newest value of one metric. */
    public record LatestMetric(double value, int epoch, long step) {}
}
