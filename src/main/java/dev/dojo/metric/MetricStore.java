package dev.dojo.metric;

import dev.dojo.system.Database;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The {@code job_metric} table: every write and read of metric rows, for this package and the others. */
@Component
public class MetricStore {

    /** A metric not yet written. */
    public record Pending(int epoch, long step, String name, double value, Instant recordedAt) {}

    /** A stored metric row with its id: the order rows were recorded in, which an event stream follows. */
    public record Row(long id, String name, int epoch, long step, double value, Instant recordedAt, Integer attempt) {}

    private static final String INSERT = """
            INSERT INTO job_metric (job_id, epoch, step, name, metric_value, recorded_at, attempt) VALUES (?, ?, ?, ?, ?, ?, ?)""";
    private static final String UPSERT = """

            ON CONFLICT (job_id, name, step) DO UPDATE SET epoch = EXCLUDED.epoch, metric_value = EXCLUDED.metric_value,
              recorded_at = EXCLUDED.recorded_at, attempt = EXCLUDED.attempt""";

    private final JdbcTemplate jdbc;
    private final Database database;
    private final MetricRepository repository;

    MetricStore(JdbcTemplate jdbc, Database database, MetricRepository repository) {
        this.jdbc = jdbc;
        this.database = database;
        this.repository = repository;
    }

    /**
     * Inserts the points with {@code fenced} (the worker's fenced transaction). A row with the same
     * (name, step) is replaced, so a batch retried after a lost commit acknowledgement, or an epoch
     * replayed after a resume, is written once.
     *
     * <p>On PostgreSQL that is one {@code INSERT ... ON CONFLICT DO UPDATE} per point, where H2 needs
     * a {@code DELETE} and an {@code INSERT}: half the statements for the server to run while a job
     * trains beside it, and a replaced row keeps its id, so an event stream that already sent it
     * does not send it again.
     */
    public void insert(JdbcTemplate fenced, String jobId, int attempt, List<Pending> points) {
        if (points.isEmpty()) {
            return;
        }
        boolean postgres = database.isPostgres();
        if (!postgres) {
            fenced.batchUpdate("DELETE FROM job_metric WHERE job_id = ? AND name = ? AND step = ?", points, points.size(), (ps, p) -> {
                ps.setString(1, jobId);
                ps.setString(2, p.name());
                ps.setLong(3, p.step());
            });
        }
        fenced.batchUpdate(postgres ? INSERT + UPSERT : INSERT, points, points.size(), (ps, p) -> {
            ps.setString(1, jobId);
            ps.setInt(2, p.epoch());
            ps.setLong(3, p.step());
            ps.setString(4, p.name());
            ps.setDouble(5, p.value());
            ps.setTimestamp(6, Timestamp.from(p.recordedAt()));
            ps.setInt(7, attempt);
        });
    }

    /** Drops rows past a step, with {@code fenced}, so that an epoch replayed after a resume is written once. */
    public void deleteAfter(JdbcTemplate fenced, String jobId, long step) {
        fenced.update("DELETE FROM job_metric WHERE job_id = ? AND step > ?", jobId, step);
    }

    /** Up to {@code limit} points after {@code afterStep}, in step order, of one metric or of all. */
    List<MetricPoint> page(String jobId, String name, long afterStep, int limit) {
        return repository.page(jobId, name, afterStep, Limit.of(limit)).stream().map(MetricRow::toPoint).toList();
    }

    /** Up to {@code limit} points of one metric after {@code afterStep}, in step order: for readers outside this package. */
    public List<MetricPoint> points(String jobId, String name, long afterStep, int limit) {
        return page(jobId, name, afterStep, limit);
    }

    /** Up to {@code limit} rows recorded after row {@code afterId}, in id order. */
    public List<Row> after(String jobId, long afterId, int limit) {
        return jdbc.query("""
                SELECT id, name, epoch, step, metric_value, recorded_at, attempt FROM job_metric
                WHERE job_id = ? AND id > ? ORDER BY id LIMIT ?""",
                (rs, n) -> new Row(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getDouble(5),
                        rs.getTimestamp(6).toInstant(), (Integer) rs.getObject(7)), jobId, afterId, limit);
    }

    /** The newest row id of the job, 0 when it has none. */
    public long lastId(String jobId) {
        Long id = jdbc.queryForObject("SELECT MAX(id) FROM job_metric WHERE job_id = ?", Long.class, jobId);
        return id == null ? 0 : id;
    }

    /** How many rows the job holds, of every metric. */
    public int count(String jobId) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM job_metric WHERE job_id = ?", Integer.class, jobId);
        return n == null ? 0 : n;
    }

    /** One metric's (step, value) points in step order, thinned to at most about {@code maxPoints}, keeping the last. */
    public List<double[]> series(String jobId, String name, int maxPoints) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM job_metric WHERE job_id = ? AND name = ?", Integer.class, jobId, name);
        int stride = Math.max(1, (count == null ? 0 : count) / maxPoints + 1);
        List<double[]> points = new ArrayList<>();
        int[] index = {0};
        jdbc.query("SELECT step, metric_value FROM job_metric WHERE job_id = ? AND name = ? ORDER BY step", rs -> {
            if (index[0]++ % stride == 0 || rs.isLast()) {
                points.add(new double[] {rs.getLong(1), rs.getDouble(2)});
            }
        }, jobId, name);
        return points;
    }

    /** Deletes every metric row of the job: part of deleting an ended job, in the caller's transaction. */
    public int deleteJob(String jobId) {
        return jdbc.update("DELETE FROM job_metric WHERE job_id = ?", jobId);
    }

    /** The final value of each of the job's metrics: the value at its highest step. */
    public Map<String, Double> finalValues(String jobId) {
        Map<String, Double> values = new HashMap<>();
        jdbc.query("""
                SELECT m.name, m.metric_value FROM job_metric m
                WHERE m.job_id = ? AND m.step = (SELECT MAX(l.step) FROM job_metric l WHERE l.job_id = m.job_id AND l.name = m.name)""",
                rs -> {
                    values.put(rs.getString(1), rs.getDouble(2));
                }, jobId);
        return values;
    }
}
