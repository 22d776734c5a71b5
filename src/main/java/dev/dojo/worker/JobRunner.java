package dev.dojo.worker;

import ai.djl.Device;
import dev.dojo.checkpoint.CheckpointInfo;
import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.dataset.DatasetUnavailableException;
import dev.dojo.job.JobSpec;
import dev.dojo.job.JobStatus;
import dev.dojo.metric.MetricWriter;
import dev.dojo.queue.Claim;
import dev.dojo.queue.FencedOutException;
import dev.dojo.queue.JobQueue;
import dev.dojo.training.InvalidSpecException;
import dev.dojo.training.JobCannotRunException;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainingResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Runs one claimed job to its end: resume, train, and record how it ended. */
@Component
class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /** How long a finished run keeps trying to record its end while the database is away. */
    private static final Duration PATIENCE = Duration.ofMinutes(10);

    private final JobQueue queue;
    private final TaskCatalog tasks;
    private final CheckpointStore checkpoints;
    private final MetricWriter metrics;
    private final JsonMapper json;
    private final WorkerSettings settings;
    private final Counter refusedWrites;

    JobRunner(JobQueue queue, TaskCatalog tasks, CheckpointStore checkpoints, MetricWriter metrics, JsonMapper json,
              WorkerSettings settings, MeterRegistry meters) {
        this.refusedWrites = Counter.builder("dojo.worker.fenced.writes.refused")
                .description("Writes refused because another attempt holds the job").register(meters);
        this.queue = queue;
        this.tasks = tasks;
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.json = json;
        this.settings = settings;
    }

    /**
     * Trains the claimed job. {@code started} receives the listener as soon as it exists, so that
     * a cancel or a shutdown can reach the run.
     */
    void run(Claim claim, Device device, Consumer<FencedListener> started) {
        String id = claim.jobId();
        try {
            JobSpec spec = json.readValue(claim.specJson(), JobSpec.class);
            Optional<CheckpointInfo> resumeAt = checkpoints.latest(id);
            byte[] resume = resumeAt.map(c -> checkpoints.read(id, c.number())).orElse(null);
            long keepUpTo = resumeAt.map(CheckpointInfo::step).orElse(0L);
            FencedListener listener = new FencedListener(claim, queue, metrics, checkpoints, json,
                    settings.metricFlushInterval(), resumeAt.map(CheckpointInfo::epoch).orElse(0), refusedWrites::increment);
            started.accept(listener);
            // Metrics a lost attempt wrote past its last checkpoint will be written again.
            queue.fenced(claim, j -> {
                metrics.deleteAfter(j, id, keepUpTo);
                j.update("UPDATE job_attempt SET resumed_from_checkpoint = ?, resumed_from_epoch = ? WHERE job_id = ? AND attempt = ?",
                        resumeAt.map(CheckpointInfo::number).orElse(null), resumeAt.map(CheckpointInfo::epoch).orElse(0),
                        id, claim.attempt());
            });
            log.info("job {} attempt {} starts on {}{}", id, claim.attempt(), claim.device(),
                    resumeAt.map(c -> " from checkpoint " + c.number() + " (epoch " + c.epoch() + ")").orElse(""));
            TrainingResult result = tasks.get(spec.task()).train(spec.training(), resume, listener, device);
            listener.flushAll(PATIENCE);
            end(claim, result, listener.stopReason());
        } catch (FencedOutException e) {
            refusedWrites.increment();
            log.warn("job {} attempt {} lost its claim; stopping without further writes", id, claim.attempt());
        } catch (InvalidSpecException | JobCannotRunException | DatasetUnavailableException e) {
            log.warn("job {} cannot run: {}", id, e.getMessage());
            durably(claim, () -> queue.finish(claim, JobStatus.FAILED, e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            durably(claim, () -> queue.crashed(claim, "worker interrupted"));
        } catch (RuntimeException | OutOfMemoryError e) {
            log.error("job {} attempt {} crashed", id, claim.attempt(), e);
            durably(claim, () -> queue.crashed(claim, e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private void end(Claim claim, TrainingResult result, StopReason reason) {
        if (result.outcome() == TrainingResult.Outcome.COMPLETED) {
            durably(claim, () -> queue.finish(claim, JobStatus.SUCCEEDED, null));
            log.info("job {} succeeded after {} epochs", claim.jobId(), result.lastEpoch());
            return;
        }
        if (reason == null) {
            durably(claim, () -> queue.crashed(claim, "training stopped without a reason"));
            return;
        }
        switch (reason) {
            case CANCELLED -> durably(claim, () -> queue.finish(claim, JobStatus.CANCELLED,
                    "cancelled by request after epoch " + result.lastEpoch()));
            case TIMEOUT -> durably(claim, () -> queue.finish(claim, JobStatus.FAILED, "TIMEOUT: ran past maxRuntimeSeconds="
                    + claim.maxRuntimeSeconds() + " after epoch " + result.lastEpoch()));
            case SHUTDOWN -> {
                durably(claim, () -> queue.handBack(claim, "worker shut down after epoch " + result.lastEpoch()));
                log.info("job {} handed back to the queue after epoch {}", claim.jobId(), result.lastEpoch());
            }
            case FENCED_OUT -> log.warn("job {} attempt {} was taken over; its late writes were refused", claim.jobId(), claim.attempt());
        }
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
            } catch (DataAccessException e) {
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
