package dev.dojo.queue;

import static dev.dojo.queue.JobStatus.CANCELLED;
import static dev.dojo.queue.JobStatus.FAILED;
import static dev.dojo.queue.JobStatus.QUEUED;
import static dev.dojo.queue.JobStatus.RUNNING;

import dev.dojo.system.Database;
import dev.dojo.system.DomainProblem;
import dev.dojo.system.Text;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every write to {@code training_job} and {@code job_attempt}: the insert of a new job, then its
 * moves through {@link JobStatus}'s table as conditional updates checked by row count, so that two
 * nodes can never both win. A worker's writes are also conditional on the attempt it holds (its
 * fence). Times come from the database's clock, never a node's.
 */
@Component
public class JobQueue {

    private static final int CANDIDATES = 8;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JobRepository jobs;
    private final Database database;
    private final Tenants tenants;
    private final QuotaSettings quotas;
    private final Clock clock = Clock.systemUTC();

    JobQueue(JdbcTemplate jdbc, TransactionTemplate tx, JobRepository jobs, Database database, Tenants tenants, QuotaSettings quotas) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.jobs = jobs;
        this.database = database;
        this.tenants = tenants;
        this.quotas = quotas;
    }

    /**
     * A job to queue: whose it is (its tenant, and the key that submitted it, null without keys), its
     * resolved spec as JSON, and the columns the queue orders and limits it by.
     */
    public record NewJob(String tenant, String submittedByKey, String task, String name, String specJson, int priority,
                         Integer maxRuntimeSeconds, int maxAttempts, int epochs, int gpusRequired, Map<String, String> labels) {

        public NewJob {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }

    /**
     * Inserts the job as QUEUED, in the caller's transaction (flushed, so the queue's own statements see
     * it), unless its tenant's queue is full: then a 429 problem, and nothing is written. The tenant's
     * row stays locked until the transaction ends, so two submits cannot both take its last place.
     */
    public TrainingJob enqueue(NewJob job) {
        Tenants.Overrides limits = tenants.lock(job.tenant());
        int max = tenants.maxQueued(limits);
        int queued = tenants.count(job.tenant(), QUEUED);
        if (queued >= max) {
            throw DomainProblem.tooManyRequests("Queue quota reached", "Tenant " + job.tenant() + " has " + queued
                    + " queued job(s), its limit (maxQueuedJobs " + max + "); submit again once some have started, or ask an "
                    + "admin to raise the quota.", quotas.retryAfter());
        }
        TrainingJob saved = jobs.saveAndFlush(new TrainingJob(job.tenant(), job.submittedByKey(), job.task(), job.name(), job.specJson(),
                job.priority(), job.maxRuntimeSeconds(), job.maxAttempts(), job.epochs(), job.gpusRequired(), clock.instant()));
        if (!job.labels().isEmpty()) {
            jdbc.batchUpdate("INSERT INTO job_label (job_id, label_key, label_value) VALUES (?, ?, ?)",
                    job.labels().entrySet().stream().map(e -> new Object[] {saved.getId(), e.getKey(), e.getValue()}).toList());
        }
        return saved;
    }

    /**
     * Claims the next queued job this worker can run, if any: one that needs no more GPUs than
     * {@code gpus}, the worker's own (a job that needs GPUs never goes to a CPU slot), of a tenant below
     * its running limit. Highest priority first; among equal priorities the tenant with the fewest jobs
     * running, then the tenant whose last job started longest ago (fair share: one tenant's backlog
     * never starves another tenant's job), then the oldest job.
     *
     * @param device names the devices a job needing that many GPUs will run on, as the job records it
     */
    public Optional<Claim> claim(String workerId, IntFunction<String> device, int gpus, Duration lease) {
        Integer defaultMax = quotas.maxRunningJobs();
        String sql = """
                SELECT j.id, j.gpus_required FROM training_job j
                LEFT JOIN (SELECT tenant, COUNT(*) AS running FROM training_job WHERE %s GROUP BY tenant) r ON r.tenant = j.tenant
                LEFT JOIN tenant t ON t.tenant = j.tenant
                WHERE j.%s AND j.gpus_required <= ? AND COALESCE(r.running, 0) < COALESCE(t.max_running_jobs, ?)
                ORDER BY j.priority DESC, COALESCE(r.running, 0), t.last_started_at NULLS FIRST, j.created_at, j.id
                LIMIT ?""".formatted(RUNNING.condition(), QUEUED.condition());
        List<Map<String, Object>> candidates = jdbc.queryForList(sql, gpus, defaultMax == null ? Integer.MAX_VALUE : defaultMax, CANDIDATES);
        for (Map<String, Object> candidate : candidates) {
            String id = (String) candidate.get("id");
            String devices = device.apply(((Number) candidate.get("gpus_required")).intValue());
            Optional<Claim> claim = claimJob(id, workerId, devices, gpus, lease);
            if (claim.isPresent()) {
                return claim;
            }
        }
        return Optional.empty();
    }

    /** Claims this one job if it is still queued, not asked to cancel, and needs no more than {@code gpus} GPUs. */
    public Optional<Claim> claimJob(String id, String workerId, String device, int gpus, Duration lease) {
        return tx.execute(s -> tryClaim(id, workerId, device, gpus, lease));
    }

    private Optional<Claim> tryClaim(String id, String workerId, String device, int gpus, Duration lease) {
        List<String> tenant = jdbc.queryForList("SELECT tenant FROM training_job WHERE id = ? AND " + QUEUED.condition(), String.class, id);
        if (tenant.isEmpty()) {
            return Optional.empty();
        }
        // The tenant's row, locked, serialises its claims: its running limit holds even when workers race.
        Integer maxRunning = tenants.maxRunning(tenants.lock(tenant.get(0)));
        if (maxRunning != null && tenants.count(tenant.get(0), RUNNING) >= maxRunning) {
            return Optional.empty();
        }
        JobStatus.Move move = QUEUED.move(RUNNING);
        int won = jdbc.update("UPDATE training_job SET " + move.set() + """
                , attempt = attempt + 1, worker_id = ?, device = ?,
                  heartbeat_at = CURRENT_TIMESTAMP, lease_expires_at = CURRENT_TIMESTAMP + CAST(? AS INTEGER) * INTERVAL '1' SECOND,
                  started_at = COALESCE(started_at, CURRENT_TIMESTAMP)
                WHERE id = ? AND""" + " " + move.where() + " AND cancel_requested = FALSE AND gpus_required <= ?",
                workerId, device, lease.toSeconds(), id, gpus);
        if (won != 1) {
            return Optional.empty();
        }
        Claim claim = jdbc.queryForObject("""
                SELECT id, attempt, task, spec_json, max_runtime_seconds FROM training_job WHERE id = ?""",
                (rs, n) -> new Claim(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        (Integer) rs.getObject(5), workerId, device), id);
        jdbc.update("""
                INSERT INTO job_attempt (job_id, attempt, worker_id, device, started_at)
                VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)""", id, claim.attempt(), workerId, device);
        jdbc.update("UPDATE tenant SET last_started_at = CURRENT_TIMESTAMP WHERE tenant = ?", tenant.get(0));
        return Optional.of(claim);
    }

    /** Whether any queued job needs no more than {@code gpus} GPUs: work a worker with that many could claim. */
    public boolean hasQueued(int gpus) {
        return !jdbc.queryForList("SELECT id FROM training_job WHERE " + QUEUED.condition() + " AND gpus_required <= ? LIMIT 1",
                String.class, gpus).isEmpty();
    }

    /** What a fenced write learned about the job: whether someone asked to cancel it. */
    public record Fence(boolean cancelRequested) {}

    /**
     * Runs {@code writes} in one transaction that ends by locking the job row and checking that the
     * claim still holds; throws {@link FencedOutException} when it does not, which rolls the writes
     * back. The check comes last so that the row is locked only for the moment before the commit:
     * a batch of metric rows or a checkpoint blob being written must not hold up the heartbeat, which
     * renews the lease on that same row. Whichever commits first wins: a takeover committed before
     * the check makes the check fail, and one that comes after waits for this commit, when the
     * claim still held.
     */
    public Fence fenced(Claim claim, Consumer<JdbcTemplate> writes) {
        return tx.execute(s -> {
            writes.accept(jdbc);
            List<Boolean> held = jdbc.queryForList("SELECT cancel_requested FROM training_job WHERE id = ? AND attempt = ? AND "
                    + RUNNING.condition() + " FOR UPDATE", Boolean.class, claim.jobId(), claim.attempt());
            if (held.isEmpty()) {
                throw new FencedOutException(claim);
            }
            return new Fence(held.get(0));
        });
    }

    /**
     * Records how far the run got, inside a {@link #fenced} batch: the epochs done, the newest value of
     * each metric (JSON), and a classifier's final evaluation (JSON) once there is one.
     */
    public void progress(JdbcTemplate fenced, Claim claim, int epochsDone, String latestMetricsJson, String evaluationJson) {
        fenced.update("UPDATE training_job SET current_epoch = ?, latest_metrics_json = ? WHERE id = ? AND attempt = ?",
                epochsDone, latestMetricsJson, claim.jobId(), claim.attempt());
        if (evaluationJson != null) {
            fenced.update("UPDATE training_job SET evaluation_json = ? WHERE id = ? AND attempt = ?",
                    evaluationJson, claim.jobId(), claim.attempt());
        }
    }

    /** Records where the attempt resumed from, inside a {@link #fenced} batch; null: from scratch. */
    public void resumedFrom(JdbcTemplate fenced, Claim claim, Integer checkpoint, int epoch) {
        fenced.update("UPDATE job_attempt SET resumed_from_checkpoint = ?, resumed_from_epoch = ? WHERE job_id = ? AND attempt = ?",
                checkpoint, epoch, claim.jobId(), claim.attempt());
    }

    /** Extends the lease; throws {@link FencedOutException} when the claim no longer holds. */
    public Fence heartbeat(Claim claim, Duration lease) {
        return tx.execute(s -> {
            int renewed = jdbc.update("""
                    UPDATE training_job SET heartbeat_at = CURRENT_TIMESTAMP,
                      lease_expires_at = CURRENT_TIMESTAMP + CAST(? AS INTEGER) * INTERVAL '1' SECOND
                    WHERE id = ? AND attempt = ? AND""" + " " + RUNNING.condition(), lease.toSeconds(), claim.jobId(), claim.attempt());
            if (renewed == 0) {
                throw new FencedOutException(claim);
            }
            Boolean cancel = jdbc.queryForObject("SELECT cancel_requested FROM training_job WHERE id = ?",
                    Boolean.class, claim.jobId());
            return new Fence(Boolean.TRUE.equals(cancel));
        });
    }

    /** Ends the attempt and the job with a terminal status; false when the claim no longer holds. */
    public boolean finish(Claim claim, JobStatus status, String reason) {
        return finish(claim, status, reason, null);
    }

    /**
     * {@link #finish}, recording with the status how the job's quality gates came out (JSON, or null). A
     * FAILED end this way does not spend an attempt and is never retried: the gates judged a completed run.
     */
    public boolean finish(Claim claim, JobStatus status, String reason, String gateResultsJson) {
        JobStatus.Move move = RUNNING.move(status);
        if (!status.isTerminal()) {
            throw new IllegalArgumentException(status + " is not terminal");
        }
        return Boolean.TRUE.equals(tx.execute(s -> {
            // A cancel asked with a reason (a sweep's early-stopping rule) keeps that reason in front of the worker's.
            String reasonColumn = status == CANCELLED ? "COALESCE(cancel_reason || '; ', '') || ?" : "?";
            int updated = jdbc.update("UPDATE training_job SET " + move.set()
                    + ", finished_at = CURRENT_TIMESTAMP, failure_reason = " + reasonColumn + ", gate_results_json = ?, lease_expires_at = NULL"
                    + " WHERE id = ? AND attempt = ? AND " + move.where(), Text.truncate(reason), gateResultsJson, claim.jobId(), claim.attempt());
            if (updated == 1) {
                endAttempt(claim.jobId(), claim.attempt(), Outcome.valueOf(status.name()), reason);
            }
            return updated == 1;
        }));
    }

    /**
     * Gives the job back to the queue without spending an attempt (a graceful shutdown); false
     * when the claim no longer holds.
     */
    public boolean handBack(Claim claim, String reason) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            boolean requeued = requeue(claim.jobId(), claim.attempt());
            if (requeued) {
                endAttempt(claim.jobId(), claim.attempt(), Outcome.SHUTDOWN, reason);
            }
            return requeued;
        }));
    }

    /**
     * The attempt crashed (training threw): the job goes back to the queue, or ends FAILED once
     * it has used its attempts. False when the claim no longer holds.
     */
    public boolean crashed(Claim claim, String reason) {
        return Boolean.TRUE.equals(tx.execute(s -> retryOrFail(claim.jobId(), claim.attempt(), Outcome.CRASHED, reason)));
    }

    /** On start-up: jobs this node left RUNNING (it crashed or was killed) go back to the queue. */
    public int requeueOrphans(String nodeId) {
        List<Object[]> orphans = jdbc.query("SELECT id, attempt FROM training_job WHERE " + RUNNING.condition()
                        + " AND (worker_id = ? OR worker_id LIKE ?)",
                (rs, n) -> new Object[] {rs.getString(1), rs.getInt(2)}, nodeId, nodeId + "/%");
        int count = 0;
        for (Object[] o : orphans) {
            if (Boolean.TRUE.equals(tx.execute(s -> retryOrFail((String) o[0], (Integer) o[1], Outcome.LOST,
                    "node " + nodeId + " restarted while the job ran")))) {
                count++;
            }
        }
        return count;
    }

    /**
     * Takes back jobs whose lease ran out, judged by the database's clock. On PostgreSQL a lease is
     * only judged once the server has been up for a whole lease plus {@code restartGrace}, so that a
     * database restart does not requeue jobs whose workers were alive but still reconnecting.
     */
    public int sweepExpiredLeases(Duration lease, Duration restartGrace) {
        String sql = "SELECT id, attempt, worker_id FROM training_job WHERE " + RUNNING.condition()
                + " AND lease_expires_at < CURRENT_TIMESTAMP";
        Object[] args = {};
        if (database.isPostgres()) {
            sql += " AND CURRENT_TIMESTAMP - pg_postmaster_start_time() > CAST(? AS INTEGER) * INTERVAL '1' SECOND";
            args = new Object[] {lease.plus(restartGrace).toSeconds()};
        }
        List<Object[]> expired = jdbc.query(sql,
                (rs, n) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getString(3)}, args);
        int count = 0;
        for (Object[] e : expired) {
            Boolean swept = tx.execute(s -> {
                List<Integer> still = jdbc.queryForList("SELECT attempt FROM training_job WHERE id = ? AND attempt = ? AND "
                        + RUNNING.condition() + " AND lease_expires_at < CURRENT_TIMESTAMP FOR UPDATE", Integer.class, e[0], e[1]);
                return !still.isEmpty() && retryOrFail((String) e[0], (Integer) e[1], Outcome.LEASE_EXPIRED,
                        "lease expired: worker " + e[2] + " stopped heartbeating");
            });
            if (Boolean.TRUE.equals(swept)) {
                count++;
            }
        }
        return count;
    }

    /** How an attempt ended; the failures among them spend the job's attempts. */
    enum Outcome {
        SUCCEEDED, FAILED, CANCELLED, SHUTDOWN, CRASHED, LEASE_EXPIRED, LOST;

        boolean spendsAttempt() {
            return this == CRASHED || this == LEASE_EXPIRED || this == LOST;
        }

        /** The outcomes that spend an attempt, as a SQL list. */
        static final String SPENDING = Arrays.stream(values()).filter(Outcome::spendsAttempt)
                .map(o -> "'" + o.name() + "'").collect(Collectors.joining(", "));
    }

    private boolean retryOrFail(String jobId, int attempt, Outcome outcome, String reason) {
        endAttempt(jobId, attempt, outcome, reason);
        List<String> failures = jdbc.query("SELECT attempt, worker_id, outcome, reason FROM job_attempt WHERE job_id = ? AND outcome IN ("
                        + Outcome.SPENDING + ") ORDER BY attempt",
                (rs, n) -> "attempt " + rs.getInt(1) + " on " + rs.getString(2) + ": " + rs.getString(3) + " (" + rs.getString(4) + ")",
                jobId);
        Integer max = jdbc.queryForObject("SELECT max_attempts FROM training_job WHERE id = ?", Integer.class, jobId);
        if (failures.size() >= max) {
            JobStatus.Move move = RUNNING.move(FAILED);
            return jdbc.update("UPDATE training_job SET " + move.set()
                            + ", finished_at = CURRENT_TIMESTAMP, lease_expires_at = NULL, failure_reason = ? WHERE id = ? AND attempt = ? AND "
                            + move.where(),
                    Text.truncate("gave up after " + failures.size() + " failed attempts; " + String.join("; ", failures)),
                    jobId, attempt) == 1;
        }
        return requeue(jobId, attempt);
    }

    private boolean requeue(String jobId, int attempt) {
        JobStatus.Move move = RUNNING.move(QUEUED);
        return jdbc.update("UPDATE training_job SET " + move.set() + ", worker_id = NULL, lease_expires_at = NULL WHERE id = ? AND attempt = ? AND "
                + move.where(), jobId, attempt) == 1;
    }

    /** Cancels a job that has not started; false when it is no longer QUEUED. */
    public boolean cancelQueued(String jobId) {
        return cancelQueued(jobId, null);
    }

    /** {@link #cancelQueued(String)}, recording why (null: a plain request) as the job's failure reason. */
    public boolean cancelQueued(String jobId, String reason) {
        JobStatus.Move move = QUEUED.move(CANCELLED);
        return jdbc.update("UPDATE training_job SET " + move.set()
                + ", cancel_requested = TRUE, finished_at = CURRENT_TIMESTAMP, cancel_reason = ?, failure_reason = ? WHERE id = ? AND "
                + move.where(), Text.truncate(reason, 1000), Text.truncate(reason), jobId) == 1;
    }

    /** Asks whichever worker runs the job to stop it; false when it is not RUNNING. */
    public boolean requestCancel(String jobId) {
        return requestCancel(jobId, null);
    }

    /** {@link #requestCancel(String)}, recording why (null: a plain request); the job's failure reason starts with it once it stops. */
    public boolean requestCancel(String jobId, String reason) {
        return jdbc.update("UPDATE training_job SET cancel_requested = TRUE, cancel_reason = COALESCE(?, cancel_reason) WHERE id = ? AND "
                + RUNNING.condition(), Text.truncate(reason, 1000), jobId) == 1;
    }

    private void endAttempt(String jobId, int attempt, Outcome outcome, String reason) {
        jdbc.update("""
                UPDATE job_attempt SET ended_at = CURRENT_TIMESTAMP, outcome = ?, reason = ?
                WHERE job_id = ? AND attempt = ? AND ended_at IS NULL""", outcome.name(), Text.truncate(reason), jobId, attempt);
    }
}
