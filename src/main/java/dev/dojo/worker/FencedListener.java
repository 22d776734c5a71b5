package dev.dojo.worker;

import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.job.JobView;
import dev.dojo.joblog.JobLogStore;
import dev.dojo.metric.MetricWriter;
import dev.dojo.queue.Claim;
import dev.dojo.queue.FencedOutException;
import dev.dojo.queue.JobQueue;
import dev.dojo.training.Evaluation;
import dev.dojo.training.TrainingListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bridge from a training run to the database. The training thread only hands metrics,
 * checkpoints and log lines over; a {@link WriteBehind} thread writes them in batches, every
 * {@code flushInterval} and at once for a checkpoint or an evaluation. Every write is fenced by the
 * claim's attempt, and a refused write stops the run. When the database is away, everything waits
 * in memory and training goes on; it is written once the database is back.
 */
final class FencedListener implements TrainingListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FencedListener.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private record PendingCheckpoint(int epoch, long step, byte[] bytes) {}

    private final Claim claim;
    private final JobQueue queue;
    private final MetricWriter metrics;
    private final CheckpointStore checkpoints;
    private final JsonMapper json;
    private final Duration flushInterval;
    private final JobLogStore logs;
    private final WorkerMetrics meters;
    private final int epochs;
    private final int logEveryEpochs;
    private final List<JobLogStore.Pending> pendingLines = new ArrayList<>();
    private final Instant deadline;
    private final Clock clock = Clock.systemUTC();
    private final List<MetricWriter.Pending> buffer = new ArrayList<>();
    private final List<PendingCheckpoint> pendingCheckpoints = new ArrayList<>();
    private final Map<String, JobView.LatestMetric> latest = new LinkedHashMap<>();
    private final AtomicReference<StopReason> stop = new AtomicReference<>();
    /** Guards the lists and fields above and below that both threads touch. */
    private final Object pending = new Object();
    /** One database write at a time: the writer's, or the runner's final one. */
    private final ReentrantLock writing = new ReentrantLock();
    /** Null for an inline listener, whose writes run on the training thread (a node's warm-up rehearsal). */
    private final WriteBehind writer;
    private String evaluationJson;
    private volatile Instant nextFlush;
    private int epochsDone;
    private volatile boolean databaseAway;

    FencedListener(Claim claim, JobQueue queue, MetricWriter metrics, CheckpointStore checkpoints, JobLogStore logs,
                   WorkerMetrics meters, JsonMapper json, Duration flushInterval, int epochsDone, int epochs) {
        this(claim, queue, metrics, checkpoints, logs, meters, json, flushInterval, epochsDone, epochs, false);
    }

    /**
     * @param inline true to write on the training thread, inside its transaction if it has one, rather
     *               than on a writer thread: the same batches at the same moments, for {@link WarmUp}
     */
    FencedListener(Claim claim, JobQueue queue, MetricWriter metrics, CheckpointStore checkpoints, JobLogStore logs,
                   WorkerMetrics meters, JsonMapper json, Duration flushInterval, int epochsDone, int epochs, boolean inline) {
        this.logs = logs;
        this.meters = meters;
        this.epochs = epochs;
        // About a hundred epoch lines per job at most: a 100,000-epoch sine run must not write 100,000 rows.
        this.logEveryEpochs = Math.max(1, epochs / 100);
        this.claim = claim;
        this.queue = queue;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.json = json;
        this.flushInterval = flushInterval;
        this.epochsDone = epochsDone;
        Instant now = clock.instant();
        this.nextFlush = now.plus(flushInterval);
        this.deadline = claim.maxRuntimeSeconds() == null ? null : now.plusSeconds(claim.maxRuntimeSeconds());
        this.writer = inline ? null : new WriteBehind("dojo-writer-" + claim.jobId(), this::flush,
                () -> Duration.between(clock.instant(), nextFlush));
    }

    /** Writes what is waiting as soon as possible: now on the writer thread, or here when inline. */
    private void writeSoon() {
        if (writer == null) {
            flush();
        } else {
            writer.now();
        }
    }

    /** Asks the run to stop; the first reason given wins, except that losing the claim always wins. */
    void requestStop(StopReason reason) {
        if (reason == StopReason.FENCED_OUT) {
            stop.set(reason);
        } else {
            stop.compareAndSet(null, reason);
        }
    }

    /** A write of this attempt was refused: count it and stop the run. */
    void refused() {
        meters.refusedWrite();
        requestStop(StopReason.FENCED_OUT);
    }

    StopReason stopReason() {
        return stop.get();
    }

    @Override
    public void onMetric(int epoch, long step, String name, double value) {
        Instant now = clock.instant();
        boolean full;
        synchronized (pending) {
            buffer.add(new MetricWriter.Pending(epoch, step, name, value, now));
            latest.put(name, new JobView.LatestMetric(value, epoch, step));
            full = buffer.size() >= 1000;
        }
        if (name.equals("images_per_second")) {
            meters.throughput(claim.task(), value);
        }
        if (full && !databaseAway) {
            writeSoon();
        }
    }

    @Override
    public void onCheckpoint(int epoch, long step, byte[] checkpoint) {
        synchronized (pending) {
            pendingCheckpoints.add(new PendingCheckpoint(epoch, step, checkpoint));
            line(JobLogStore.Level.INFO, "checkpoint after epoch " + epoch + " (step " + step + ", " + checkpoint.length + " bytes)");
        }
        writeSoon();
    }

    @Override
    public void onEvaluation(Evaluation evaluation) {
        String evaluated = json.writeValueAsString(evaluation);
        synchronized (pending) {
            evaluationJson = evaluated;
        }
        writeSoon();
    }

    @Override
    public void onEpochEnd(int epoch) {
        synchronized (pending) {
            epochsDone = epoch;
            if (epoch % logEveryEpochs == 0 || epoch == epochs) {
                StringBuilder m = new StringBuilder("epoch " + epoch + "/" + epochs + " done");
                latest.forEach((name, v) -> {
                    if (v.epoch() == epoch) {
                        m.append(", ").append(name).append('=').append(String.format(java.util.Locale.ROOT, "%.6g", v.value()));
                    }
                });
                line(JobLogStore.Level.INFO, m.toString());
            }
        }
        if (writer == null && !clock.instant().isBefore(nextFlush)) {
            flush();
        }
    }

    /** A log line for the job, written with the next batch (inside the fence); the caller holds {@code pending}. */
    private void line(JobLogStore.Level level, String message) {
        pendingLines.add(new JobLogStore.Pending(clock.instant(), level, message));
    }

    @Override
    public boolean shouldStop() {
        if (deadline != null && clock.instant().isAfter(deadline)) {
            requestStop(StopReason.TIMEOUT);
        }
        return stop.get() != null;
    }

    @Override
    public boolean checkpointOnStop() {
        return stop.get() == StopReason.SHUTDOWN;
    }

    /** Tries once to write what is waiting; returns true when nothing is left to write. */
    boolean flush() {
        writing.lock();
        try {
            return flushOnce();
        } finally {
            writing.unlock();
        }
    }

    private boolean flushOnce() {
        if (stop.get() == StopReason.FENCED_OUT) {
            return true;
        }
        List<MetricWriter.Pending> batch;
        List<PendingCheckpoint> saves;
        List<JobLogStore.Pending> lines;
        String latestJson;
        String evaluation;
        int progress;
        synchronized (pending) {
            batch = List.copyOf(buffer);
            saves = List.copyOf(pendingCheckpoints);
            lines = List.copyOf(pendingLines);
            latestJson = json.writeValueAsString(latest);
            evaluation = evaluationJson;
            progress = epochsDone;
        }
        try {
            JobQueue.Fence fence = queue.fenced(claim, j -> {
                metrics.insert(j, claim.jobId(), claim.attempt(), batch);
                for (PendingCheckpoint c : saves) {
                    checkpoints.insert(j, claim.jobId(), claim.attempt(), c.epoch(), c.step(), c.bytes());
                }
                logs.insert(j, claim.jobId(), claim.attempt(), lines);
                j.update("UPDATE training_job SET current_epoch = ?, latest_metrics_json = ? WHERE id = ? AND attempt = ?",
                        progress, latestJson, claim.jobId(), claim.attempt());
                if (evaluation != null) {
                    j.update("UPDATE training_job SET evaluation_json = ? WHERE id = ? AND attempt = ?",
                            evaluation, claim.jobId(), claim.attempt());
                }
            });
            synchronized (pending) {
                buffer.subList(0, batch.size()).clear();
                pendingCheckpoints.subList(0, saves.size()).clear();
                pendingLines.subList(0, lines.size()).clear();
                if (evaluationJson != null && evaluationJson.equals(evaluation)) {
                    evaluationJson = null;
                }
            }
            saves.forEach(c -> meters.checkpointWritten(claim.task(), c.bytes().length));
            nextFlush = clock.instant().plus(flushInterval);
            if (databaseAway) {
                log.info("job {}: database is back; wrote {} waiting metric(s) and {} checkpoint(s)",
                        claim.jobId(), batch.size(), saves.size());
                databaseAway = false;
            }
            if (fence.cancelRequested()) {
                requestStop(StopReason.CANCELLED);
            }
            return true;
        } catch (FencedOutException e) {
            refused();
            return true;
        } catch (DataAccessException | TransactionException e) {
            if (!databaseAway) {
                log.warn("job {}: cannot write to the database ({}); training goes on and will write later",
                        claim.jobId(), e.getMostSpecificCause() == null ? e.toString() : e.getMostSpecificCause().getMessage());
            }
            databaseAway = true;
            nextFlush = clock.instant().plus(RETRY_AFTER);
            return false;
        }
    }

    /**
     * Stops the writer thread and writes everything still waiting, retrying while the database is
     * away, up to {@code patience}.
     */
    void flushAll(Duration patience) throws InterruptedException {
        close();
        Instant giveUp = clock.instant().plus(patience);
        while (!flush()) {
            if (clock.instant().isAfter(giveUp)) {
                throw new IllegalStateException("database unreachable for " + patience + "; metrics were not written");
            }
            Thread.sleep(RETRY_AFTER.toMillis());
        }
    }

    /** Stops the writer thread; whatever it had not written yet is dropped (the run is over or lost). */
    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
    }
}
