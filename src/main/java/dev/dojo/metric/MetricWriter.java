package dev.dojo.metric;

import dev.dojo.system.DatabaseProduct;
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

    private static final String INSERT = """
            INSERT INTO job_metric (job_id, epoch, step, name, metric_value, recorded_at, attempt) VALUES (?, ?, ?, ?, ?, ?, ?)""";
    private static final String UPSERT = """

            ON CONFLICT (job_id, name, step) DO UPDATE SET epoch = EXCLUDED.epoch, metric_value = EXCLUDED.metric_value,
              recorded_at = EXCLUDED.recorded_at, attempt = EXCLUDED.attempt""";

    /** Whether the pool is PostgreSQL's, learnt at the first write (one pool per process). */
    private volatile Boolean postgres;

    /**
     * Inserts the points. A row with the same (name, step) is replaced, so a batch retried after a
     * lost commit acknowledgement, or an epoch replayed after a resume, is written once.
     *
     * <p>On PostgreSQL that is one {@code INSERT ... ON CONFLICT DO UPDATE} per point, where H2 needs
     * a {@code DELETE} and an {@code INSERT}: half the statements for the server to run while a job
     * trains beside it, and a replaced row keeps its id, so an event stream that already sent it
     * does not send it again.
     */
    public void insert(JdbcTemplate jdbc, String jobId, int attempt, List<Pending> points) {
        if (points.isEmpty()) {
            return;
        }
        if (postgres == null) {
            postgres = DatabaseProduct.isPostgres(jdbc);
        }
        if (!postgres) {
            jdbc.batchUpdate("DELETE FROM job_metric WHERE job_id = ? AND name = ? AND step = ?", points, points.size(), (ps, p) -> {
                ps.setString(1, jobId);
                ps.setString(2, p.name());
                ps.setLong(3, p.step());
            });
        }
        jdbc.batchUpdate(postgres ? INSERT + UPSERT : INSERT, points, points.size(), (ps, p) -> {
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
