package dev.dojo.queue;

import dev.dojo.job.JobStatus;
import dev.dojo.system.DatabaseProduct;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves jobs through their states with conditional updates checked by row count, so that two nodes
 * can never both win. Times come from the database's clock, never a node's.
 */
@Component
public class JobQueue {

    private static final int CANDIDATES = 8;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    JobQueue(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /**
     * Claims the highest-priority, oldest queued job this worker can run, if any: one that needs no
     * more GPUs than {@code gpus}, the worker's own. A job that needs GPUs never goes to a CPU slot.
     *
     * @param device names the devices a job needing that many GPUs will run on, as the job records it
     */
    public Optional<Claim> claim(String workerId, IntFunction<String> device, int gpus, Duration lease) {
        List<Map<String, Object>> candidates = jdbc.queryForList("""
                SELECT id, gpus_required FROM training_job WHERE status = 'QUEUED' AND gpus_required <= ?
                ORDER BY priority DESC, created_at, id LIMIT ?""", gpus, CANDIDATES);
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
        int won = jdbc.update("""
                UPDATE training_job SET status = 'RUNNING', attempt = attempt + 1, worker_id = ?, device = ?,
                  heartbeat_at = CURRENT_TIMESTAMP, lease_expires_at = CURRENT_TIMESTAMP + CAST(? AS INTEGER) * INTERVAL '1' SECOND,
                  started_at = COALESCE(started_at, CURRENT_TIMESTAMP)
                WHERE id = ? AND status = 'QUEUED' AND cancel_requested = FALSE AND gpus_required <= ?""",
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
        return Optional.of(claim);
    }

    /** Whether any queued job needs no more than {@code gpus} GPUs: work a worker with that many could claim. */
    public boolean hasQueued(int gpus) {
        return !jdbc.queryForList("SELECT id FROM training_job WHERE status = 'QUEUED' AND gpus_required <= ? LIMIT 1",
                String.class, gpus).isEmpty();
    }

    /** Live worker slots (heartbeat within {@code lease}, not stopped) that offer at least {@code gpus} GPUs. */
    public int liveSlotsOffering(int gpus, Duration lease) {
        Integer n = jdbc.queryForObject("""
                SELECT COUNT(*) FROM worker_node WHERE stopped_at IS NULL AND gpus >= ?
                  AND heartbeat_at > CURRENT_TIMESTAMP - CAST(? AS INTEGER) * INTERVAL '1' SECOND""",
                Integer.class, gpus, lease.toSeconds());
        return n == null ? 0 : n;
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
            List<Boolean> held = jdbc.queryForList("""
                    SELECT cancel_requested FROM training_job
                    WHERE id = ? AND attempt = ? AND status = 'RUNNING' FOR UPDATE""",
                    Boolean.class, claim.jobId(), claim.attempt());
            if (held.isEmpty()) {
                throw new FencedOutException(claim);
            }
            return new Fence(held.get(0));
        });
    }

    /** Extends the lease; throws {@link FencedOutException} when the claim no longer holds. */
    public Fence heartbeat(Claim claim, Duration lease) {
        return tx.execute(s -> {
            int renewed = jdbc.update("""
                    UPDATE training_job SET heartbeat_at = CURRENT_TIMESTAMP,
                      lease_expires_at = CURRENT_TIMESTAMP + CAST(? AS INTEGER) * INTERVAL '1' SECOND
                    WHERE id = ? AND attempt = ? AND status = 'RUNNING'""", lease.toSeconds(), claim.jobId(), claim.attempt());
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
        if (!status.isTerminal()) {
            throw new IllegalArgumentException(status + " is not terminal");
        }
        return Boolean.TRUE.equals(tx.execute(s -> {
            int updated = jdbc.update("""
                    UPDATE training_job SET status = ?, finished_at = CURRENT_TIMESTAMP, failure_reason = ?,
                      lease_expires_at = NULL
                    WHERE id = ? AND attempt = ? AND status = 'RUNNING'""",
                    status.name(), reason, claim.jobId(), claim.attempt());
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
            int updated = jdbc.update("""
                    UPDATE training_job SET status = 'QUEUED', worker_id = NULL, lease_expires_at = NULL
                    WHERE id = ? AND attempt = ? AND status = 'RUNNING'""", claim.jobId(), claim.attempt());
            if (updated == 1) {
                endAttempt(claim.jobId(), claim.attempt(), Outcome.SHUTDOWN, reason);
            }
            return updated == 1;
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
        List<Object[]> orphans = jdbc.query("""
                SELECT id, attempt FROM training_job WHERE status = 'RUNNING' AND (worker_id = ? OR worker_id LIKE ?)""",
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
        String sql = """
                SELECT id, attempt, worker_id FROM training_job
                WHERE status = 'RUNNING' AND lease_expires_at < CURRENT_TIMESTAMP""";
        Object[] args = {};
        if (isPostgres()) {
            sql += " AND CURRENT_TIMESTAMP - pg_postmaster_start_time() > CAST(? AS INTEGER) * INTERVAL '1' SECOND";
            args = new Object[] {lease.plus(restartGrace).toSeconds()};
        }
        List<Object[]> expired = jdbc.query(sql,
                (rs, n) -> new Object[] {rs.getString(1), rs.getInt(2), rs.getString(3)}, args);
        int count = 0;
        for (Object[] e : expired) {
            Boolean swept = tx.execute(s -> {
                List<Integer> still = jdbc.queryForList("""
                        SELECT attempt FROM training_job WHERE id = ? AND attempt = ? AND status = 'RUNNING'
                          AND lease_expires_at < CURRENT_TIMESTAMP FOR UPDATE""", Integer.class, e[0], e[1]);
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
    public enum Outcome {
        SUCCEEDED, FAILED, CANCELLED, SHUTDOWN, CRASHED, LEASE_EXPIRED, LOST;

        boolean spendsAttempt() {
            return this == CRASHED || this == LEASE_EXPIRED || this == LOST;
        }
    }

    private boolean retryOrFail(String jobId, int attempt, Outcome outcome, String reason) {
        endAttempt(jobId, attempt, outcome, reason);
        List<String> failures = jdbc.query("""
                SELECT attempt, worker_id, outcome, reason FROM job_attempt
                WHERE job_id = ? AND outcome IN ('CRASHED', 'LEASE_EXPIRED', 'LOST') ORDER BY attempt""",
                (rs, n) -> "attempt " + rs.getInt(1) + " on " + rs.getString(2) + ": " + rs.getString(3) + " (" + rs.getString(4) + ")",
                jobId);
        Integer max = jdbc.queryForObject("SELECT max_attempts FROM training_job WHERE id = ?", Integer.class, jobId);
        if (failures.size() >= max) {
            return jdbc.update("""
                    UPDATE training_job SET status = 'FAILED', finished_at = CURRENT_TIMESTAMP, lease_expires_at = NULL,
                      failure_reason = ? WHERE id = ? AND attempt = ? AND status = 'RUNNING'""",
                    truncate("gave up after " + failures.size() + " failed attempts; " + String.join("; ", failures)),
                    jobId, attempt) == 1;
        }
        return jdbc.update("""
                UPDATE training_job SET status = 'QUEUED', worker_id = NULL, lease_expires_at = NULL
                WHERE id = ? AND attempt = ? AND status = 'RUNNING'""", jobId, attempt) == 1;
    }

    private static String truncate(String s) {
        return s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }

    private volatile Boolean postgres;

    private boolean isPostgres() {
        if (postgres == null) {
            postgres = DatabaseProduct.isPostgres(jdbc);
        }
        return postgres;
    }

    /** Cancels a job that has not started; false when it is no longer QUEUED. */
    public boolean cancelQueued(String jobId) {
        return jdbc.update("""
                UPDATE training_job SET status = 'CANCELLED', cancel_requested = TRUE, finished_at = CURRENT_TIMESTAMP
                WHERE id = ? AND status = 'QUEUED'""", jobId) == 1;
    }

    /** Asks whichever worker runs the job to stop it; false when it is not RUNNING. */
    public boolean requestCancel(String jobId) {
        return jdbc.update("""
                UPDATE training_job SET cancel_requested = TRUE WHERE id = ? AND status = 'RUNNING'""", jobId) == 1;
    }

    private void endAttempt(String jobId, int attempt, Outcome outcome, String reason) {
        jdbc.update("""
                UPDATE job_attempt SET ended_at = CURRENT_TIMESTAMP, outcome = ?, reason = ?
                WHERE job_id = ? AND attempt = ? AND ended_at IS NULL""", outcome.name(), reason == null ? null : truncate(reason), jobId, attempt);
    }
}
