package dev.dojo.worker;

import ai.djl.Device;
import dev.dojo.checkpoint.CheckpointInfo;
import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.dataset.DatasetUnavailableException;
import dev.dojo.job.Gate;
import dev.dojo.job.Gates;
import dev.dojo.job.JobSpec;
import dev.dojo.joblog.JobLogStore;
import dev.dojo.joblog.JobLogStore.Level;
import dev.dojo.queue.Claim;
import dev.dojo.queue.FencedOutException;
import dev.dojo.queue.JobQueue;
import dev.dojo.queue.JobStatus;
import dev.dojo.training.InvalidSpecException;
import dev.dojo.training.JobCannotRunException;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainingResult;
import dev.dojo.training.TrainingTask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import org.springframework.stereotype.Component;

/** Runs one claimed job to its end: resume, train, and record how it ended. */
@Component
class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /** How long a finished run keeps trying to record its end while the database is away. */
    private static final Duration PATIENCE = Duration.ofMinutes(10);

    private final JobWrites writes;
    private final JobQueue queue;
    private final CheckpointStore checkpoints;
    private final JobLogStore logs;
    private final WorkerMetrics meters;
    private final TaskCatalog tasks;
    private final WorkerSettings settings;

    JobRunner(JobWrites writes, TaskCatalog tasks, WorkerSettings settings) {
        this.writes = writes;
        this.queue = writes.queue();
        this.checkpoints = writes.checkpoints();
        this.logs = writes.logs();
        this.meters = writes.meters();
        this.tasks = tasks;
        this.settings = settings;
    }

    /**
     * Trains the claimed job. {@code started} receives the listener as soon as it exists, so that
     * a cancel or a shutdown can reach the run.
     */
    void run(Claim claim, List<Device> slotDevices, Consumer<FencedListener> started) {
        String id = claim.jobId();
        long began = System.nanoTime();
        String outcome = "crashed";
        FencedListener listener = null;
        try {
            JobSpec spec = writes.json().readValue(claim.specJson(), JobSpec.class);
            TrainingTask task = tasks.get(spec.task());
            // A job that asked for k GPUs trains data-parallel on the slot's first k; any other on its first device.
            List<Device> devices = slotDevices.subList(0, Math.max(1, spec.gpusRequired()));
            Optional<CheckpointInfo> resumeAt = checkpoints.latest(id);
            byte[] resume = resumeAt.map(c -> checkpoints.read(id, c.number())).orElse(null);
            long keepUpTo = resumeAt.map(CheckpointInfo::step).orElse(0L);
            int fromEpoch = resumeAt.map(CheckpointInfo::epoch).orElse(0);
            listener = new FencedListener(claim, writes, settings.metricFlushInterval(), fromEpoch,
                    spec.training().hyperparameters().epochs(), WriteBehind::new);
            started.accept(listener);
            // Metrics a lost attempt wrote past its last checkpoint will be written again.
            queue.fenced(claim, j -> {
                writes.metrics().deleteAfter(j, id, keepUpTo);
                queue.resumedFrom(j, claim, resumeAt.map(CheckpointInfo::number).orElse(null), fromEpoch);
            });
            String from = resumeAt.map(c -> " from checkpoint " + c.number() + " (epoch " + c.epoch() + ")").orElse("");
            log.info("job {} attempt {} starts on {}{}", id, claim.attempt(), claim.device(), from);
            logs.append(id, claim.attempt(), Level.INFO, "attempt " + claim.attempt() + " starts on " + claim.device()
                    + " (worker " + claim.workerId() + ")" + (!from.isEmpty() ? ", resuming" + from : spec.initFrom() != null
                    ? " from job " + spec.initFrom().job() + "'s checkpoint " + spec.initFrom().checkpoint() : " from scratch"));
            long trainingStarted = System.nanoTime();
            // A warm start takes another job's weights only when this job has none of its own yet.
            byte[] initial = resume == null && spec.initFrom() != null ? initialWeights(spec) : null;
            TrainingResult result = task.train(spec.training(), resume, spec.warmStart(initial), listener, devices);
            throughput(claim, task.samplesPerEpoch(spec.training()) * (result.lastEpoch() - fromEpoch), System.nanoTime() - trainingStarted);
            listener.flushAll(PATIENCE);
            outcome = end(claim, spec, result, listener.stopReason());
        } catch (FencedOutException e) {
            meters.refusedWrite();
            outcome = "fenced_out";
            log.warn("job {} attempt {} lost its claim; stopping without further writes", id, claim.attempt());
            logs.append(id, claim.attempt(), Level.WARN, "attempt " + claim.attempt() + " lost its claim to a later attempt; stopped");
        } catch (InvalidSpecException | JobCannotRunException | DatasetUnavailableException e) {
            outcome = "cannot_run";
            log.warn("job {} cannot run: {}", id, e.getMessage());
            logs.append(id, claim.attempt(), Level.ERROR, "cannot run: " + e.getMessage());
            durably(claim, () -> queue.finish(claim, JobStatus.FAILED, e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "interrupted";
            logs.append(id, claim.attempt(), Level.ERROR, "worker interrupted");
            durably(claim, () -> queue.crashed(claim, "worker interrupted"));
        } catch (RuntimeException | OutOfMemoryError e) {
            log.error("job {} attempt {} crashed", id, claim.attempt(), e);
            logs.append(id, claim.attempt(), Level.ERROR, "attempt " + claim.attempt() + " crashed: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
            durably(claim, () -> queue.crashed(claim, e.getClass().getSimpleName() + ": " + e.getMessage()));
        } finally {
            if (listener != null) {
                listener.close();
            }
            meters.jobEnded(claim.task(), outcome, Duration.ofNanos(System.nanoTime() - began));
        }
    }

    /** The warm start's source checkpoint; a job whose source is gone cannot run (retrying would not bring it back). */
    private byte[] initialWeights(JobSpec spec) {
        try {
            return checkpoints.read(spec.initFrom().job(), spec.initFrom().checkpoint());
        } catch (IllegalArgumentException e) {
            throw new JobCannotRunException("initFrom: " + e.getMessage(), e);
        }
    }

    /** Training throughput of this attempt: the samples of the epochs it trained over its training time. */
    private void throughput(Claim claim, long samples, long nanos) {
        if (samples > 0 && nanos > 0) {
            meters.throughput(claim.task(), samples / (nanos / 1e9));
        }
    }

    /** Records how the run ended and returns the outcome for the job timer. */
    private String end(Claim claim, JobSpec spec, TrainingResult result, StopReason reason) {
        String id = claim.jobId();
        int attempt = claim.attempt();
        if (result.outcome() == TrainingResult.Outcome.COMPLETED && spec.gates() != null) {
            return gated(claim, spec.gates(), result);
        }
        if (result.outcome() == TrainingResult.Outcome.COMPLETED) {
            durably(claim, () -> queue.finish(claim, JobStatus.SUCCEEDED, null));
            log.info("job {} succeeded after {} epochs", id, result.lastEpoch());
            logs.append(id, attempt, Level.INFO, "succeeded after " + result.lastEpoch() + " epochs");
            return "succeeded";
        }
        if (reason == null) {
            logs.append(id, attempt, Level.ERROR, "training stopped without a reason after epoch " + result.lastEpoch());
            durably(claim, () -> queue.crashed(claim, "training stopped without a reason"));
            return "crashed";
        }
        String why = switch (reason) {
            case CANCELLED -> "cancelled by request after epoch " + result.lastEpoch();
            case TIMEOUT -> "TIMEOUT: ran past maxRuntimeSeconds=" + claim.maxRuntimeSeconds() + " after epoch " + result.lastEpoch();
            case SHUTDOWN -> "worker shut down after epoch " + result.lastEpoch() + "; handed back to the queue";
            case FENCED_OUT -> "attempt " + attempt + " was taken over; its late writes were refused";
        };
        logs.append(id, attempt, reason == StopReason.CANCELLED || reason == StopReason.SHUTDOWN ? Level.INFO : Level.WARN, why);
        switch (reason) {
            case CANCELLED -> durably(claim, () -> queue.finish(claim, JobStatus.CANCELLED, why));
            case TIMEOUT -> durably(claim, () -> queue.finish(claim, JobStatus.FAILED, why));
            case SHUTDOWN -> {
                durably(claim, () -> queue.handBack(claim, "worker shut down after epoch " + result.lastEpoch()));
                log.info("job {} handed back to the queue after epoch {}", id, result.lastEpoch());
            }
            case FENCED_OUT -> log.warn("job {} attempt {} was taken over; its late writes were refused", id, attempt);
        }
        return switch (reason) {
            case CANCELLED -> "cancelled";
            case TIMEOUT -> "timeout";
            case SHUTDOWN -> "handed_back";
            case FENCED_OUT -> "fenced_out";
        };
    }

    /**
     * Checks the quality gates on each metric's final value, as written (the listener was flushed), and
     * ends the job SUCCEEDED when all hold, FAILED ({@code GATE: …}) when any missed: a finished run that
     * was judged, so it is not retried, and its checkpoints stay for predictions and export.
     */
    private String gated(Claim claim, List<Gate> gates, TrainingResult result) {
        List<Gate.Result> results = Gates.check(gates, writes.metrics().finalValues(claim.jobId()));
        String missed = Gates.failureReason(results);
        String resultsJson = writes.json().writeValueAsString(results);
        JobStatus status = missed == null ? JobStatus.SUCCEEDED : JobStatus.FAILED;
        durably(claim, () -> queue.finish(claim, status, missed, resultsJson));
        String line = missed == null ? "succeeded after " + result.lastEpoch() + " epochs; all " + gates.size() + " gate(s) hold"
                : "trained " + result.lastEpoch() + " epochs but failed its gates: " + missed;
        log.info("job {} {}", claim.jobId(), line);
        logs.append(claim.jobId(), claim.attempt(), missed == null ? Level.INFO : Level.WARN, line);
        return missed == null ? "succeeded" : "gate_failed";
    }

    /** Records an outcome, retrying while the database is away; a refused (fenced) write is final. */
    private void durably(Claim claim, BooleanSupplier write) {
        Instant giveUp = Instant.now().plus(PATIENCE);
        while (true) {
            try {
                if (!write.getAsBoolean()) {
                    log.warn("job {} attempt {}: the outcome was refused; another attempt holds the job", claim.jobId(), claim.attempt());
                }
                return;
            } catch (DataAccessException | TransactionException e) {
                if (Instant.now().isAfter(giveUp)) {
                    log.error("job {} attempt {}: could not record its outcome; its lease will expire", claim.jobId(), claim.attempt(), e);
                    return;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
