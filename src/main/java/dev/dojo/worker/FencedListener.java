package dev.dojo.worker;

import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.job.JobView;
import dev.dojo.metric.MetricWriter;
import dev.dojo.queue.Claim;
import dev.dojo.queue.FencedOutException;
import dev.dojo.queue.JobQueue;
import dev.dojo.training.TrainingListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bridge from a training run to the database. Metrics are buffered briefly and written in
 * batches; every write is fenced by the claim's attempt, and a refused write stops the run.
 */
final class FencedListener implements TrainingListener {

    private final Claim claim;
    private final JobQueue queue;
    private final MetricWriter metrics;
    private final CheckpointStore checkpoints;
    private final JsonMapper json;
    private final Duration flushInterval;
    private final Instant deadline;
    private final Clock clock = Clock.systemUTC();
    private final List<MetricWriter.Pending> buffer = new ArrayList<>();
    private final Map<String, JobView.LatestMetric> latest = new LinkedHashMap<>();
    private final AtomicReference<StopReason> stop = new AtomicReference<>();
    private Instant lastFlush;
    private int epochsDone;

    FencedListener(Claim claim, JobQueue queue, MetricWriter metrics, CheckpointStore checkpoints, JsonMapper json,
                   Duration flushInterval, int epochsDone) {
        this.claim = claim;
        this.queue = queue;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.json = json;
        this.flushInterval = flushInterval;
        this.epochsDone = epochsDone;
        this.lastFlush = clock.instant();
        this.deadline = claim.maxRuntimeSeconds() == null ? null : lastFlush.plusSeconds(claim.maxRuntimeSeconds());
    }

    /** Asks the run to stop; the first reason given wins. */
    void requestStop(StopReason reason) {
        stop.compareAndSet(null, reason);
    }

    StopReason stopReason() {
        return stop.get();
    }

    @Override
    public void onMetric(int epoch, long step, String name, double value) {
        Instant now = clock.instant();
        buffer.add(new MetricWriter.Pending(epoch, step, name, value, now));
        latest.put(name, new JobView.LatestMetric(value, epoch, step));
        if (Duration.between(lastFlush, now).compareTo(flushInterval) >= 0 || buffer.size() >= 1000) {
            flush();
        }
    }

    @Override
    public void onCheckpoint(int epoch, long step, byte[] checkpoint) {
        write(j -> checkpoints.insert(j, claim.jobId(), epoch, step, checkpoint));
    }

    @Override
    public void onEpochEnd(int epoch) {
        epochsDone = epoch;
    }

    @Override
    public boolean shouldStop() {
        if (deadline != null && clock.instant().isAfter(deadline)) {
            requestStop(StopReason.TIMEOUT);
        }
        return stop.get() != null;
    }

    /** Writes what is buffered; a no-op once the claim is lost. */
    void flush() {
        write(j -> { });
    }

    private void write(java.util.function.Consumer<JdbcTemplate> extra) {
        if (stop.get() == StopReason.FENCED_OUT) {
            return;
        }
        List<MetricWriter.Pending> batch = List.copyOf(buffer);
        String latestJson = json.writeValueAsString(latest);
        int progress = epochsDone;
        try {
            JobQueue.Fence fence = queue.fenced(claim, j -> {
                metrics.insert(j, claim.jobId(), batch);
                extra.accept(j);
                j.update("UPDATE training_job SET current_epoch = ?, latest_metrics_json = ? WHERE id = ? AND attempt = ?",
                        progress, latestJson, claim.jobId(), claim.attempt());
            });
            buffer.clear();
            lastFlush = clock.instant();
            if (fence.cancelRequested()) {
                requestStop(StopReason.CANCELLED);
            }
        } catch (FencedOutException e) {
            stop.set(StopReason.FENCED_OUT);
        }
    }
}
