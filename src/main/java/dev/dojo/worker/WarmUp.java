package dev.dojo.worker;

import ai.djl.Device;
import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.job.JobRepository;
import dev.dojo.job.JobRequest;
import dev.dojo.job.JobService;
import dev.dojo.job.JobStatus;
import dev.dojo.job.JobView;
import dev.dojo.joblog.JobLogStore;
import dev.dojo.metric.MetricWriter;
import dev.dojo.queue.Claim;
import dev.dojo.queue.JobQueue;
import dev.dojo.training.Hyperparameters;
import dev.dojo.training.SineRegressionTask;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainingListener;
import dev.dojo.training.TrainingResult;
import dev.dojo.training.TrainingSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node's rehearsal before its first claim: one throw-away seed sine job of a few thousand steps
 * through the path a real one takes (submit, claim, resume check, training, metric batches,
 * checkpoints and log lines behind the fence, finish, the job's view), all in one transaction that
 * is rolled back, so no other connection ever sees a row of it.
 *
 * <p>A fresh JVM runs all of that interpreted at first: DJL's Java side, and on an embedded node
 * H2's own engine, Hibernate and JDBC. Without the rehearsal the first jobs pay for it: the first
 * job's submit-to-RUNNING took 150 to 370 ms, and for about fifteen jobs the JIT compiler took a
 * core from training. The rehearsal writes on the training thread (an inline {@link FencedListener})
 * with the same batches and cadence as a writer thread; its meters go to a registry of its own. It
 * stops as soon as {@code stop} says real work is waiting.
 */
@Component
class WarmUp {

    /**
     * What a warm-up did: the steps it trained, the metric rows and checkpoints it had written when it
     * rolled back, how long it took, and whether it was cut short.
     */
    record Result(int steps, int metricRows, int checkpoints, Duration took, boolean cutShort) {}

    private final TransactionTemplate tx;
    private final JobService jobs;
    private final JobRepository repository;
    private final JobQueue queue;
    private final TaskCatalog tasks;
    private final MetricWriter metrics;
    private final CheckpointStore checkpoints;
    private final JobLogStore logs;
    private final JsonMapper json;
    private final WorkerSettings settings;
    private final WorkerMetrics meters;
    private final JdbcTemplate jdbc;

    WarmUp(JdbcTemplate jdbc, TransactionTemplate tx, JobService jobs, JobRepository repository, JobQueue queue, TaskCatalog tasks,
           MetricWriter metrics, CheckpointStore checkpoints, JobLogStore logs, JsonMapper json, WorkerSettings settings,
           WorkerRegistry registry) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.jobs = jobs;
        this.repository = repository;
        this.queue = queue;
        this.tasks = tasks;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.logs = logs;
        this.json = json;
        this.settings = settings;
        this.meters = new WorkerMetrics(new SimpleMeterRegistry(), registry, settings);
    }

    Result run(String workerId, String deviceName, int steps, Device device, BooleanSupplier stop) {
        long start = System.nanoTime();
        return tx.execute(status -> {
            status.setRollbackOnly();
            Hyperparameters hp = new Hyperparameters(steps, null, null, null, null, null, null, null, null, null, null, null, null);
            JobView job = jobs.submit(new JobRequest(SineRegressionTask.NAME, "warm-up rehearsal", hp, null, null, null));
            repository.flush();
            Claim claim = queue.claimJob(job.id(), workerId, deviceName, 0, settings.lease())
                    .orElseThrow(() -> new IllegalStateException("the rehearsal could not claim its own job"));
            checkpoints.latest(job.id());
            TrainingSpec spec = job.spec().training();
            TrainingResult result;
            try (FencedListener listener = new FencedListener(claim, queue, metrics, checkpoints, logs, meters, json,
                    settings.metricFlushInterval(), 0, steps, true)) {
                result = tasks.get(SineRegressionTask.NAME).train(spec, null, new StopWhenWorkWaits(listener, stop), List.of(device));
                listener.flush();
            }
            queue.finish(claim, JobStatus.SUCCEEDED, null);
            json.writeValueAsString(jobs.get(job.id()));
            Integer rows = jdbc.queryForObject("SELECT COUNT(*) FROM job_metric WHERE job_id = ?", Integer.class, job.id());
            return new Result(result.lastEpoch(), rows == null ? 0 : rows, checkpoints.list(job.id()).size(),
                    Duration.ofNanos(System.nanoTime() - start), result.outcome() != TrainingResult.Outcome.COMPLETED);
        });
    }

    /** Passes everything on to the rehearsal's listener, and stops the run when real work waits. */
    private record StopWhenWorkWaits(FencedListener listener, BooleanSupplier stop) implements TrainingListener {

        @Override
        public void onMetric(int epoch, long step, String name, double value) {
            listener.onMetric(epoch, step, name, value);
        }

        @Override
        public void onCheckpoint(int epoch, long step, byte[] checkpoint) {
            listener.onCheckpoint(epoch, step, checkpoint);
        }

        @Override
        public void onEpochEnd(int epoch) {
            listener.onEpochEnd(epoch);
        }

        @Override
        public boolean shouldStop() {
            return stop.getAsBoolean() || listener.shouldStop();
        }
    }
}
