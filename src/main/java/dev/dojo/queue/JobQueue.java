package dev.dojo.queue;

import dev.dojo.job.JobStatus;
import java.time.Duration;
import java.util.List;
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

    /** Claims the highest-priority, oldest queued job, if any. */
    public Optional<Claim> claim(String workerId, String device, Duration lease) {
        List<String> candidates = jdbc.queryForList("""
                SELECT id FROM training_job WHERE status = 'QUEUED'
                ORDER BY priority DESC, created_at, id LIMIT ?""", String.class, CANDIDATES);
        for (String id : candidates) {
            Optional<Claim> claim = tx.execute(s -> tryClaim(id, workerId, device, lease));
            if (claim.isPresent()) {
                return claim;
            }
        }
        return Optional.empty();
    }

    private Optional<Claim> tryClaim(String id, String workerId, String device, Duration lease) {
        int won = jdbc.update("""
                UPDATE training_job SET status = 'RUNNING', attempt = attempt + 1, worker_id = ?, device = ?,
                  heartbeat_at = CURRENT_TIMESTAMP, lease_expires_at = CURRENT_TIMESTAMP + CAST(? AS INTEGER) * INTERVAL '1' SECOND,
                  started_at = COALESCE(started_at, CURRENT_TIMESTAMP)
                WHERE id = ? AND status = 'QUEUED' AND cancel_requested = FALSE""",
                workerId, device, lease.toSeconds(), id);
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

    /** What a fenced write learned about the job: whether someone asked to cancel it. */
    public record Fence(boolean cancelRequested) {}

    /**
     * Runs {@code writes} in one transaction that first locks the job row and checks the claim still
     * holds; throws {@link FencedOutException} (writing nothing) when it does not.
     */
    public Fence fenced(Claim claim, Consumer<JdbcTemplate> writes) {
        return tx.execute(s -> {
            List<Boolean> held = jdbc.queryForList("""
                    SELECT cancel_requested FROM training_job
                    WHERE id = ? AND attempt = ? AND status = 'RUNNING' FOR UPDATE""",
                    Boolean.class, claim.jobId(), claim.attempt());
            if (held.isEmpty()) {
                throw new FencedOutException(claim);
            }
            writes.accept(jdbc);
            return new Fence(held.get(0));
        });
    }

    /** Extends the lease; throws {@link FencedOutException} when the claim no longer holds. */
    public Fence heartbeat(Claim claim, Duration lease) {
        return fenced(claim, j -> j.update("""
                UPDATE training_job SET heartbeat_at = CURRENT_TIMESTAMP,
                  lease_expires_at = CURRENT_TIMESTAMP + CAST(? AS INTEGER) * INTERVAL '1' SECOND
                WHERE id = ? AND attempt = ?""", lease.toSeconds(), claim.jobId(), claim.attempt()));
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
            endAttempt(claim.jobId(), claim.attempt(), status.name(), reason);
            return updated == 1;
        }));
    }

    /**
     * Gives the job back to the queue for another attempt; false when the claim no longer holds.
     * A requeue that does not spend an attempt (a graceful shutdown) lowers the attempt count so
     * the next claim reuses the number.
     */
    public boolean requeue(Claim claim, String outcome, String reason) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            int updated = jdbc.update("""
                    UPDATE training_job SET status = 'QUEUED', worker_id = NULL, lease_expires_at = NULL
                    WHERE id = ? AND attempt = ? AND status = 'RUNNING'""", claim.jobId(), claim.attempt());
            endAttempt(claim.jobId(), claim.attempt(), outcome, reason);
            return updated == 1;
        }));
    }

    /** On start-up: jobs this node left RUNNING (it crashed or was killed) go back to the queue. */
    public int requeueOrphans(String nodePrefix) {
        return tx.execute(s -> {
            jdbc.update("""
                    UPDATE job_attempt SET ended_at = CURRENT_TIMESTAMP, outcome = 'LOST', reason = 'node restarted'
                    WHERE ended_at IS NULL AND (worker_id = ? OR worker_id LIKE ?)""", nodePrefix, nodePrefix + "/%");
            return jdbc.update("""
                    UPDATE training_job SET status = 'QUEUED', worker_id = NULL, lease_expires_at = NULL
                    WHERE status = 'RUNNING' AND (worker_id = ? OR worker_id LIKE ?)""", nodePrefix, nodePrefix + "/%");
        });
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

    private void endAttempt(String jobId, int attempt, String outcome, String reason) {
        jdbc.update("""
                UPDATE job_attempt SET ended_at = CURRENT_TIMESTAMP, outcome = ?, reason = ?
                WHERE job_id = ? AND attempt = ? AND ended_at IS NULL""", outcome, reason, jobId, attempt);
    }
}
