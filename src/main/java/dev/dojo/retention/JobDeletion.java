package dev.dojo.retention;

import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.job.JobService;
import dev.dojo.joblog.JobLogStore;
import dev.dojo.metric.MetricStore;
import dev.dojo.queue.EndedJobs;
import dev.dojo.queue.JobDeleted;
import dev.dojo.queue.JobStatus;
import dev.dojo.queue.TenantScope;
import dev.dojo.system.DomainProblem;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes an ended job and everything it left: metric rows, checkpoints, log lines, the
 * Idempotency-Keys that name it, its labels and attempts, and the job row, in one transaction that
 * first locks the job row. A job still queued or running is a 409: cancel it first. So is a job whose
 * checkpoints another job's {@code initFrom} names: they are that job's starting weights.
 */
@Component
public class JobDeletion {

    private final TransactionTemplate tx;
    private final EndedJobs queue;
    private final MetricStore metrics;
    private final CheckpointStore checkpoints;
    private final JobLogStore logs;
    private final JobService jobs;
    private final ApplicationEventPublisher events;

    JobDeletion(TransactionTemplate tx, EndedJobs queue, MetricStore metrics, CheckpointStore checkpoints, JobLogStore logs,
                JobService jobs, ApplicationEventPublisher events) {
        this.events = events;
        this.tx = tx;
        this.queue = queue;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.logs = logs;
        this.jobs = jobs;
    }

    /** Deletes the job {@code scope} sees; a 404 when it sees none, a 409 when the job has not ended. */
    public void delete(String id, TenantScope scope) {
        tx.executeWithoutResult(s -> {
            JobStatus status = queue.lockEnded(id, scope);
            if (!status.isTerminal()) {
                throw new DomainProblem(HttpStatus.CONFLICT, "Job is live",
                        "Job " + id + " is " + status + "; cancel it first (POST /api/jobs/" + id + "/cancel), then delete it.",
                        Map.of("jobStatus", status.name()));
            }
            List<String> warmStarts = queue.warmStartedFrom(id);
            if (!warmStarts.isEmpty()) {
                throw new DomainProblem(HttpStatus.CONFLICT, "Job is a warm start's source",
                        "Job " + id + " holds the starting weights of " + warmStarts.size() + " job(s) that name it in initFrom ("
                                + String.join(", ", warmStarts.subList(0, Math.min(5, warmStarts.size())))
                                + (warmStarts.size() > 5 ? ", …" : "") + "); delete those first.",
                        Map.of("warmStartedJobs", warmStarts.subList(0, Math.min(100, warmStarts.size()))));
            }
            metrics.deleteJob(id);
            checkpoints.deleteJob(id);
            logs.deleteJob(id);
            jobs.forgetIdempotencyKeys(id);
            queue.delete(id);
        });
        events.publishEvent(new JobDeleted(id));
    }
}
