package dev.dojo.worker;

import ai.djl.Device;
import dev.dojo.job.JobRequest;
import dev.dojo.job.JobService;
import dev.dojo.job.JobView;
import dev.dojo.queue.Claim;
import dev.dojo.queue.JobStatus;
import dev.dojo.queue.QueueSettings;
import dev.dojo.queue.TenantScope;
import dev.dojo.queue.WorkerRegistry;
import dev.dojo.security.Caller;
import dev.dojo.security.Scope;
import dev.dojo.training.Hyperparameters;
import dev.dojo.training.SineRegressionTask;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainingListener;
import dev.dojo.training.TrainingResult;
import dev.dojo.training.TrainingSpec;
import dev.dojo.training.TrainingTask;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A node's rehearsal before its first claim: one throw-away seed sine job of a few thousand steps
 * through the path a real one takes (submit, claim, resume check, training, metric batches,
 * checkpoints and log lines behind the fence, finish, the job's view), all in one transaction that
 * is rolled back, so no other connection ever sees a row of it.
 *
 * <p>A fresh JVM runs all of that interpreted at first: DJL's Java side, and on an embedded node
 * H2's own engine, Hibernate and JDBC. Without the rehearsal the first jobs pay for it: the first
 * job's submit-to-RUNNING waited for the JIT, and for its first jobs the compiler took a core from
 * training. The rehearsal writes on the training thread ({@link Writer#inline}, since its transaction
 * belongs to that thread) with the same batches and cadence as a writer thread; its meters go to a
 * registry of its own. It stops as soon as {@code stop} says real work is waiting.
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
    private final TaskCatalog tasks;
    private final JobWrites writes;
    private final WorkerSettings settings;
    private final QueueSettings queueSettings;

    WarmUp(TransactionTemplate tx, JobService jobs, TaskCatalog tasks, JobWrites writes, WorkerSettings settings,
           QueueSettings queueSettings, WorkerRegistry registry) {
        this.tx = tx;
        this.jobs = jobs;
        this.tasks = tasks;
        this.settings = settings;
        this.queueSettings = queueSettings;
        this.writes = writes.withMeters(new WorkerMetrics(new SimpleMeterRegistry(), registry, queueSettings));
    }

    /** Every scope, for a tenant no key can name (keys' tenants are lower-case words). */
    static final Caller REHEARSAL = new Caller("_warm-up", null, Scope.ALL);

    Result run(String workerId, String deviceName, int steps, Device device, BooleanSupplier stop) {
        long start = System.nanoTime();
        return tx.execute(status -> {
            status.setRollbackOnly();
            TrainingTask task = tasks.get(SineRegressionTask.NAME);
            Hyperparameters hp = new Hyperparameters(steps, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
            // A tenant of its own: the submit locks the tenant's row until this transaction ends, and a
            // real submit for tenant local must not wait behind the rehearsal.
            JobView job = jobs.submit(JobRequest.of(task.name(), "warm-up rehearsal", hp), REHEARSAL);
            Claim claim = writes.queue().claimJob(job.id(), workerId, deviceName, 0, queueSettings.lease())
                    .orElseThrow(() -> new IllegalStateException("the rehearsal could not claim its own job"));
            writes.checkpoints().latest(job.id());
            TrainingSpec spec = job.spec().training();
            TrainingResult result;
            try (FencedListener listener = new FencedListener(claim, writes, settings.metricFlushInterval(), 0, steps, Writer::inline)) {
                result = task.train(spec, null, new StopWhenWorkWaits(listener, stop), List.of(device));
                listener.flush();
            }
            writes.queue().finish(claim, JobStatus.SUCCEEDED, null);
            writes.json().writeValueAsString(jobs.get(job.id(), TenantScope.ALL));
            return new Result(result.lastEpoch(), writes.metrics().count(job.id()), writes.checkpoints().list(job.id()).size(),
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
