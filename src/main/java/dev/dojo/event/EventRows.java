package dev.dojo.event;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the rows a stream has not sent yet, by row id. Ids, not steps, because a row replaced after a
 * resume keeps its step but gets a new id, and the stream reports rows as they were recorded. One job's
 * rows are written by one fenced worker at a time, so they commit in id order.
 */
@Component
class EventRows {

    static final int PAGE = 1000;

    /** A metric as the stream sends it. */
    record Metric(long id, String name, int epoch, long step, double value, Instant recordedAt, Integer attempt) {}

    /** A checkpoint as the stream sends it. */
    record Checkpoint(long id, int number, int epoch, long step, long sizeBytes, String sha256, Instant createdAt) {}

    private final JdbcTemplate jdbc;

    EventRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<Metric> metricsAfter(String jobId, long afterId) {
        return jdbc.query("""
                SELECT id, name, epoch, step, metric_value, recorded_at, attempt FROM job_metric
                WHERE job_id = ? AND id > ? ORDER BY id LIMIT""" + " " + PAGE,
                (rs, n) -> new Metric(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getDouble(5),
                        rs.getTimestamp(6).toInstant(), (Integer) rs.getObject(7)), jobId, afterId);
    }

    List<Checkpoint> checkpointsAfter(String jobId, long afterId) {
        return jdbc.query("""
                SELECT id, checkpoint_number, epoch, step, size_bytes, sha256, created_at FROM job_checkpoint
                WHERE job_id = ? AND id > ? ORDER BY id""",
                (rs, n) -> new Checkpoint(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getLong(4), rs.getLong(5),
                        rs.getString(6), rs.getTimestamp(7).toInstant()), jobId, afterId);
    }
}
