package dev.dojo.job;

import dev.dojo.system.DomainProblem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code idempotency_key} table: which job each tenant's Idempotency-Key created, held in the
 * database so that every api node sees it. A request first claims its key in a transaction of its
 * own (committed at once, so that a concurrent request with the same key sees it in flight); the
 * transaction that queues the job then records the job under the claim's token. Times are the
 * database's.
 */
@Component
class IdempotencyKeys {

    /** An in-flight claim older than this is taken to be from a node that died mid-request. */
    static final Duration STALE = Duration.ofSeconds(60);

    private final JdbcTemplate jdbc;

    IdempotencyKeys(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** This request owns the key: it must {@link #record} the job it creates, or {@link #release} the key. */
    record Claim(String tenant, String key, String token) {}

    /** What claiming a key found: the key is now this request's, or an earlier request already created {@code jobId}. */
    record Outcome(Claim claim, String jobId) {}

    /**
     * Claims the key for this request, outside any transaction. Answers the earlier job when the key
     * was used with the same fingerprint; a 422 problem when it was used with another body; a 409
     * problem while the request that first used it is still being processed.
     */
    Outcome claim(String tenant, String key, String fingerprint, Duration ttl) {
        for (int tries = 0; tries < 5; tries++) {
            jdbc.update("DELETE FROM idempotency_key WHERE tenant = ? AND idem_key = ? AND (expires_at < CURRENT_TIMESTAMP"
                    + " OR (job_id IS NULL AND created_at < CURRENT_TIMESTAMP - CAST(? AS INTEGER) * INTERVAL '1' SECOND))",
                    tenant, key, STALE.toSeconds());
            String token = UUID.randomUUID().toString();
            try {
                jdbc.update("""
                        INSERT INTO idempotency_key (tenant, idem_key, fingerprint, claim_token, job_id, created_at, expires_at)
                        VALUES (?, ?, ?, ?, NULL, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP + CAST(? AS INTEGER) * INTERVAL '1' SECOND)""",
                        tenant, key, fingerprint, token, ttl.toSeconds());
                return new Outcome(new Claim(tenant, key, token), null);
            } catch (DuplicateKeyException taken) {
                List<Map<String, Object>> rows = jdbc.queryForList(
                        "SELECT fingerprint, job_id FROM idempotency_key WHERE tenant = ? AND idem_key = ?", tenant, key);
                if (rows.isEmpty()) {
                    continue; // released or purged between our insert and our read: try again
                }
                if (!fingerprint.equals(rows.get(0).get("fingerprint"))) {
                    throw new DomainProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused",
                            "This Idempotency-Key was first used with a different job spec; use a new key for a new job.",
                            Map.of("errors", List.of(Map.of("field", "Idempotency-Key",
                                    "message", "was used before with a different body"))));
                }
                String job = (String) rows.get(0).get("job_id");
                if (job == null) {
                    throw inFlight();
                }
                return new Outcome(null, job);
            }
        }
        throw inFlight();
    }

    private static DomainProblem inFlight() {
        return new DomainProblem(HttpStatus.CONFLICT, "Idempotency-Key in use",
                "A request with this Idempotency-Key is still being processed; retry once it has been answered.",
                Map.of("errors", List.of(Map.of("field", "Idempotency-Key", "message", "is in use by a request still being processed"))));
    }

    /** Records the job the claim created; call in the transaction that queues it. A 409 when the claim was lost. */
    void record(Claim claim, String jobId) {
        int updated = jdbc.update("UPDATE idempotency_key SET job_id = ? WHERE tenant = ? AND idem_key = ? AND claim_token = ?",
                jobId, claim.tenant(), claim.key(), claim.token());
        if (updated != 1) {
            throw inFlight();
        }
    }

    /** Frees the key after a request that created nothing (refused, or failed), so that a retry runs afresh. */
    void release(Claim claim) {
        jdbc.update("DELETE FROM idempotency_key WHERE tenant = ? AND idem_key = ? AND claim_token = ? AND job_id IS NULL",
                claim.tenant(), claim.key(), claim.token());
    }

    /** Forgets every key that names the job: part of deleting it. */
    void forgetJob(String jobId) {
        jdbc.update("DELETE FROM idempotency_key WHERE job_id = ?", jobId);
    }

    /** Deletes keys whose time is up; answers how many. */
    int purgeExpired() {
        return jdbc.update("DELETE FROM idempotency_key WHERE expires_at < CURRENT_TIMESTAMP");
    }
}
