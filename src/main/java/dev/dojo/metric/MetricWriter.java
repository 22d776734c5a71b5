package dev.dojo.metric;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Writes metric rows in one batch, inside the caller's (fenced) transaction. */
@Component
public class MetricWriter {

    /** A metric not yet written. */
    public record Pending(int epoch, long step, String name, double value, Instant recordedAt) {}

    /**
     * Inserts the points. A row with the same (name, step) is replaced, so a batch retried after a
     * lost commit acknowledgement, or an epoch replayed after a resume, is written once.
     */
    public void insert(JdbcTemplate jdbc, String jobId, int attempt, List<Pending> points) {
        if (points.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("DELETE FROM job_metric WHERE job_id = ? AND name = ? AND step = ?", points, points.size(), (ps, p) -> {
            ps.setString(1, jobId);
            ps.setString(2, p.name());
            ps.setLong(3, p.step());
        });
        jdbc.batchUpdate("""
                INSERT INTO job_metric (job_id, epoch, step, name, metric_value, recorded_at, attempt) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                points, points.size(), (ps, p) -> {
                    ps.setString(1, jobId);
                    ps.setInt(2, p.epoch());
                    ps.setLong(3, p.step());
                    ps.setString(4, p.name());
                    ps.setDouble(5, p.value());
                    ps.setTimestamp(6, Timestamp.from(p.recordedAt()));
                    ps.setInt(7, attempt);
                });
    }

    /** Drops rows past a step, so that an epoch replayed after a resume is written once. */
    public void deleteAfter(JdbcTemplate jdbc, String jobId, long step) {
        jdbc.update("DELETE FROM job_metric WHERE job_id = ? AND step > ?", jobId, step);
    }
}
