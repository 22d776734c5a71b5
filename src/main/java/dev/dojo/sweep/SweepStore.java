package dev.dojo.sweep;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * The {@code sweep} and {@code sweep_trial} tables. Every write a driver makes is fenced: it first
 * renews its lease with the epoch it holds, in the same transaction, and a row count of 0 means another
 * node took the sweep over (or it ended), so the write is refused.
 */
@Component
class SweepStore {

    /** A sweep row. */
    record Sweep(String id, String tenant, String submittedByKey, String status, String reason, String algorithm, String requestJson,
                 String planJson, int plannedTrials, Instant createdAt, Instant endedAt, String driver, long leaseEpoch) {}

    /** A trial row; {@code jobId} is null until its job was submitted. */
    record Trial(int number, String jobId, String parametersJson, String stoppedBy, String stopReason, int rung) {}

    private static final String COLUMNS = "id, tenant, submitted_by_key, status, reason, algorithm, request_json, plan_json, planned_trials, "
            + "created_at, ended_at, driver, lease_epoch";
    private static final RowMapper<Sweep> SWEEP = (rs, n) -> new Sweep(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9),
            rs.getTimestamp(10).toInstant(), rs.getTimestamp(11) == null ? null : rs.getTimestamp(11).toInstant(),
            rs.getString(12), rs.getLong(13));
    private static final RowMapper<Trial> TRIAL = (rs, n) -> new Trial(rs.getInt(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getInt(6));

    private final JdbcTemplate jdbc;

    SweepStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String id, String tenant, String keyId, String algorithm, String requestJson, String planJson, int planned, Instant now) {
        jdbc.update("INSERT INTO sweep (id, tenant, submitted_by_key, status, algorithm, request_json, plan_json, planned_trials, created_at) "
                + "VALUES (?, ?, ?, 'RUNNING', ?, ?, ?, ?, ?)", id, tenant, keyId, algorithm, requestJson, planJson, planned, Timestamp.from(now));
    }

    /** The sweep if {@code tenant} (null: any) sees it. */
    Optional<Sweep> find(String id, String tenant) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sweep WHERE id = ?" + (tenant == null ? "" : " AND tenant = ?"), SWEEP,
                tenant == null ? new Object[] {id} : new Object[] {id, tenant}).stream().findFirst();
    }

    /** One page of the sweeps {@code tenant} (null: every tenant) owns, newest first. */
    List<Sweep> page(String tenant, int page, int size) {
        String where = tenant == null ? "" : " WHERE tenant = ?";
        Object[] args = tenant == null ? new Object[] {size, (long) page * size} : new Object[] {tenant, size, (long) page * size};
        return jdbc.query("SELECT " + COLUMNS + " FROM sweep" + where + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?", SWEEP, args);
    }

    long count(String tenant) {
        Long n = tenant == null ? jdbc.queryForObject("SELECT COUNT(*) FROM sweep", Long.class)
                : jdbc.queryForObject("SELECT COUNT(*) FROM sweep WHERE tenant = ?", Long.class, tenant);
        return n == null ? 0 : n;
    }

    List<Trial> trials(String sweepId) {
        return jdbc.query("SELECT trial_number, job_id, parameters_json, stopped_by, stop_reason, rung FROM sweep_trial "
                + "WHERE sweep_id = ? ORDER BY trial_number", TRIAL, sweepId);
    }

    /** The trial rows of each of the sweeps, by sweep id, in one statement; a sweep without trials is absent. */
    Map<String, List<Trial>> trials(Collection<String> sweepIds) {
        Map<String, List<Trial>> bySweep = new HashMap<>();
        if (sweepIds.isEmpty()) {
            return bySweep;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(sweepIds.size(), "?"));
        jdbc.query("SELECT sweep_id, trial_number, job_id, parameters_json, stopped_by, stop_reason, rung FROM sweep_trial "
                + "WHERE sweep_id IN (" + marks + ") ORDER BY sweep_id, trial_number", rs -> {
                    bySweep.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>()).add(new Trial(rs.getInt(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7)));
                }, sweepIds.toArray());
        return bySweep;
    }

    /** Running sweeps whose lease is free, expired, or held by {@code node}. */
    List<String> drivable(String node, Instant now) {
        return jdbc.queryForList("SELECT id FROM sweep WHERE status = 'RUNNING' AND (driver IS NULL OR driver = ? OR lease_expires_at < ?) "
                + "ORDER BY created_at", String.class, node, Timestamp.from(now));
    }

    /** Takes the sweep's lease (a new epoch) when it is free or expired; the epoch now held, or empty. */
    Optional<Long> acquire(String id, String node, Instant now, Instant until) {
        int taken = jdbc.update("UPDATE sweep SET driver = ?, lease_epoch = lease_epoch + 1, lease_expires_at = ? "
                + "WHERE id = ? AND status = 'RUNNING' AND (driver IS NULL OR lease_expires_at < ?)", node, Timestamp.from(until), id, Timestamp.from(now));
        if (taken == 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(jdbc.queryForObject("SELECT lease_epoch FROM sweep WHERE id = ? AND driver = ?", Long.class, id, node));
    }

    /** Renews a lease held with {@code epoch}; false when it is no longer held (taken over, or the sweep ended). */
    boolean renew(String id, String node, long epoch, Instant until) {
        return jdbc.update("UPDATE sweep SET lease_expires_at = ? WHERE id = ? AND driver = ? AND lease_epoch = ? AND status = 'RUNNING'",
                Timestamp.from(until), id, node, epoch) == 1;
    }

    /** Lets the lease go on shutdown, so that another node takes the sweep at once. */
    void release(String id, String node, long epoch) {
        jdbc.update("UPDATE sweep SET lease_expires_at = NULL, driver = NULL WHERE id = ? AND driver = ? AND lease_epoch = ?", id, node, epoch);
    }

    /** Inserts the trial row unless it exists (call inside a fenced transaction). */
    void insertTrial(String sweepId, int number, String parametersJson, Instant now) {
        Integer exists = jdbc.queryForObject("SELECT COUNT(*) FROM sweep_trial WHERE sweep_id = ? AND trial_number = ?", Integer.class,
                sweepId, number);
        if (exists == null || exists == 0) {
            jdbc.update("INSERT INTO sweep_trial (sweep_id, trial_number, parameters_json, created_at) VALUES (?, ?, ?, ?)",
                    sweepId, number, parametersJson, Timestamp.from(now));
        }
    }

    void setJob(String sweepId, int number, String jobId) {
        jdbc.update("UPDATE sweep_trial SET job_id = ? WHERE sweep_id = ? AND trial_number = ? AND job_id IS NULL", jobId, sweepId, number);
    }

    void stop(String sweepId, int number, String rule, String reason) {
        jdbc.update("UPDATE sweep_trial SET stopped_by = ?, stop_reason = ? WHERE sweep_id = ? AND trial_number = ?",
                rule, reason, sweepId, number);
    }

    void rung(String sweepId, int number, int rung) {
        jdbc.update("UPDATE sweep_trial SET rung = ? WHERE sweep_id = ? AND trial_number = ? AND rung < ?", rung, sweepId, number, rung);
    }

    /** Ends a running sweep; false when it had already ended. */
    boolean end(String id, String status, String reason, Instant now) {
        return jdbc.update("UPDATE sweep SET status = ?, reason = ?, ended_at = ?, driver = NULL, lease_expires_at = NULL "
                + "WHERE id = ? AND status = 'RUNNING'", status, reason, Timestamp.from(now), id) == 1;
    }
}
