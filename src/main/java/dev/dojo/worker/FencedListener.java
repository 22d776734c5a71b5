package dev.dojo.worker;

import dev.dojo.job.JobSpec;
import dev.dojo.job.JobView;
import dev.dojo.joblog.JobLogStore;
import dev.dojo.metric.MetricStore;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * The bridge from a training run to the database. The training thread only hands metrics,
 * checkpoints and log lines over; a {@link Writer} writes them in batches, every
 * {@code flushInterval} and at once for a checkpoint or an evaluation. Every write is fenced by the
 * claim's attempt, and a refused write stops the run. When the database is away, everything waits
 * in memory and training goes on; it is written once the database is back.
 */
final class FencedListener implements TrainingListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FencedListener.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private record PendingCheckpoint(int epoch, long step, byte[] bytes) {}

    private final Claim claim;
    private final JobWrites writes;
    private final Duration flushInterval;
    private final int epochs;
    private final int logEveryEpochs;
    /** The spec's keepCheckpoints: how many of the newest checkpoints to keep (null: all). */
    private final Integer keepCheckpoints;
    private final List<JobLogStore.Pending> pendingLines = new ArrayList<>();
    private final Instant deadline;
    private final Clock clock = Clock.systemUTC();
    private final List<MetricStore.Pending> buffer = new ArrayList<>();
    private final List<PendingCheckpoint> pendingCheckpoints = new ArrayList<>();
    private final Map<String, JobView.LatestMetric> latest = new LinkedHashMap<>();
    private final AtomicReference<StopReason> stop = new AtomicReference<>();
    /** Guards the lists and fields above and below that both threads touch. */
    private final Object pending = new Object();
    /** One database write at a time: the writer's, or the runner's final one. */
    private final ReentrantLock writing = new ReentrantLock();
    private final Writer writer;
    private String evaluationJson;
    private volatile Instant nextFlush;
    private int epochsDone;
    private volatile boolean databaseAway;

    /**
     * @param writers starts the writer of this listener's batches: {@link WriteBehind} for a real job,
     *                {@link Writer#inline} for the start-up rehearsal
     */
    FencedListener(Claim claim, JobWrites writes, Duration flushInterval, int epochsDone, int epochs, Writer.Factory writers) {
        this.claim = claim;
        this.writes = writes;
        this.flushInterval = flushInterval;
        this.epochsDone = epochsDone;
        this.epochs = epochs;
        // About a hundred epoch lines per job at most: a 100,000-epoch sine run must not write 100,000 rows.
        this.logEveryEpochs = Math.max(1, epochs / 100);
        this.keepCheckpoints = writes.json().readValue(claim.specJson(), JobSpec.class).keepCheckpoints();
        Instant now = clock.instant();
        this.nextFlush = now.plus(flushInterval);
        this.deadline = claim.maxRuntimeSeconds() == null ? null : now.plusSeconds(claim.maxRuntimeSeconds());
        this.writer = writers.start("dojo-writer-" + claim.jobId(), this::flush, () -> Duration.between(clock.instant(), nextFlush));
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
        writes.meters().refusedWrite();
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
            buffer.add(new MetricStore.Pending(epoch, step, name, value, now));
            latest.put(name, new JobView.LatestMetric(value, epoch, step));
            full = buffer.size() >= 1000;
        }
        if (full && !databaseAway) {
            writer.now();
        }
    }

    @Override
    public void onCheckpoint(int epoch, long step, byte[] checkpoint) {
        synchronized (pending) {
            pendingCheckpoints.add(new PendingCheckpoint(epoch, step, checkpoint));
            line(JobLogStore.Level.INFO, "checkpoint after epoch " + epoch + " (step " + step + ", " + checkpoint.length + " bytes)");
        }
        writer.now();
    }

    @Override
    public void onEvaluation(Evaluation evaluation) {
        String evaluated = writes.json().writeValueAsString(evaluation);
        synchronized (pending) {
            evaluationJson = evaluated;
        }
        writer.now();
    }

    @Override
    public void onEpochEnd(int epoch) {
        synchronized (pending) {
            epochsDone = epoch;
            if (epoch % logEveryEpochs == 0 || epoch == epochs) {
                StringBuilder m = new StringBuilder("epoch " + epoch + "/" + epochs + " done");
                latest.forEach((name, v) -> {
                    if (v.epoch() == epoch) {
                        m.append(", ").append(name).append('=').append(String.format(Locale.ROOT, "%.6g", v.value()));
                    }
                });
                line(JobLogStore.Level.INFO, m.toString());
            }
        }
        writer.epochEnded();
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
        List<MetricStore.Pending> batch;
        List<PendingCheckpoint> saves;
        List<JobLogStore.Pending> lines;
        String latestJson;
        String evaluation;
        int progress;
        synchronized (pending) {
            batch = List.copyOf(buffer);
            saves = List.copyOf(pendingCheckpoints);
            lines = List.copyOf(pendingLines);
            latestJson = writes.json().writeValueAsString(latest);
            evaluation = evaluationJson;
            progress = epochsDone;
        }
        try {
            JobQueue.Fence fence = writes.queue().fenced(claim, j -> {
                writes.metrics().insert(j, claim.jobId(), claim.attempt(), batch);
                int newest = 0;
                for (PendingCheckpoint c : saves) {
                    newest = writes.checkpoints().insert(j, claim.jobId(), claim.attempt(), c.epoch(), c.step(), c.bytes());
                }
                if (keepCheckpoints != null && newest > 0) {
                    writes.checkpoints().prune(j, claim.jobId(), newest, keepCheckpoints);
                }
                writes.logs().insert(j, claim.jobId(), claim.attempt(), lines);
                writes.queue().progress(j, claim, progress, latestJson, evaluation);
            });
            synchronized (pending) {
                buffer.subList(0, batch.size()).clear();
                pendingCheckpoints.subList(0, saves.size()).clear();
                pendingLines.subList(0, lines.size()).clear();
                if (evaluationJson != null && evaluationJson.equals(evaluation)) {
                    evaluationJson = null;
                }
            }
            saves.forEach(c -> writes.meters().checkpointWritten(claim.task(), c.bytes().length));
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
        writer.close();
    }
}
