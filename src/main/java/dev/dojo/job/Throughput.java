package dev.dojo.job;

import dev.dojo.queue.JobRecords;
import dev.dojo.queue.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A job's training speed and time left, derived from what the job itself recorded: its newest
 * {@code images_per_second} metric (the training throughput of the last finished epoch), and the
 * epochs the running attempt has finished since it started. Both are null while unknown: before the
 * first epoch ends, for a job that is not running (the time left of a succeeded job is 0), and
 * images/s for a task that reports no {@code images_per_second}.
 */
final class Throughput {

    private Throughput() {}

    static JobView.Progress progress(int epoch, int epochs, JobStatus status, Instant jobStartedAt,
                                     Map<String, JobView.LatestMetric> latest, List<JobRecords.Attempt> attempts, Instant now) {
        double fraction = status == JobStatus.SUCCEEDED ? 1.0 : Math.min(1.0, (double) epoch / Math.max(1, epochs));
        JobView.LatestMetric rate = latest.get("images_per_second");
        Double imagesPerSecond = rate == null ? null : rate.value();
        return new JobView.Progress(epoch, epochs, fraction, imagesPerSecond, eta(epoch, epochs, status, jobStartedAt, attempts, now));
    }

    /** Seconds left, from the running attempt's own pace: its elapsed time over the epochs it has finished. */
    private static Double eta(int epoch, int epochs, JobStatus status, Instant jobStartedAt, List<JobRecords.Attempt> attempts,
                              Instant now) {
        if (status == JobStatus.SUCCEEDED) {
            return 0.0;
        }
        if (status != JobStatus.RUNNING) {
            return null;
        }
        Instant started = jobStartedAt;
        int from = 0;
        JobRecords.Attempt current = attempts.stream().max(Comparator.comparingInt(JobRecords.Attempt::attempt)).orElse(null);
        if (current != null && current.startedAt() != null) {
            started = current.startedAt();
            from = current.resumedFromEpoch() == null ? 0 : current.resumedFromEpoch();
        } else if (!attempts.isEmpty()) {
            return null;
        }
        int done = epoch - from;
        if (started == null || done <= 0) {
            return null;
        }
        double elapsed = Duration.between(started, now).toMillis() / 1000.0;
        return Math.max(0, elapsed / done * (epochs - epoch));
    }
}
