package dev.dojo.event;

import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.job.JobService;
import dev.dojo.job.JobView;
import dev.dojo.metric.MetricStore;
import dev.dojo.queue.TenantScope;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Where each streamed job stands, read once per half poll interval for all the streams of that job:
 * the job itself and its newest metric and checkpoint row ids. A stream reads rows of its own only
 * when the pulse shows something beyond its cursor, so 200 streams of one quiet job cost a few
 * queries per interval instead of a thousand.
 */
@Component
class Pulses {

    /** The job as last read, and the newest row ids read after it. */
    record Pulse(JobView job, long lastMetricId, long lastCheckpointId, long readAtNanos) {}

    private static final int KEEP = 256;
    private static final long FORGET_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final JobService jobs;
    private final MetricStore metrics;
    private final CheckpointStore checkpoints;
    private final long maxAgeNanos;
    private final Map<String, Pulse> latest = new ConcurrentHashMap<>();

    Pulses(JobService jobs, MetricStore metrics, CheckpointStore checkpoints, EventSettings settings) {
        this.jobs = jobs;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.maxAgeNanos = settings.pollInterval().toNanos() / 2;
    }

    /** The job's pulse, at most half a poll interval old. Throws what {@link JobService#get} throws. */
    Pulse of(String jobId) {
        long now = System.nanoTime();
        Pulse known = latest.get(jobId);
        if (known != null && now - known.readAtNanos() < maxAgeNanos) {
            return known;
        }
        // The job first: when it has ended, every row it wrote is counted by the reads after it.
        // Every stream of the job was checked against its caller's tenant when it opened.
        JobView job = jobs.get(jobId, TenantScope.ALL);
        Pulse fresh = new Pulse(job, metrics.lastId(jobId), checkpoints.lastId(jobId), now);
        latest.put(jobId, fresh);
        if (latest.size() > KEEP) {
            latest.values().removeIf(p -> now - p.readAtNanos() > FORGET_NANOS);
        }
        return fresh;
    }
}
