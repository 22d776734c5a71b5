package dev.dojo.joblog;

import dev.dojo.system.Text;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code job_log} table. Every line names the attempt that wrote it, so a line from an attempt
 * that was since fenced out is kept but recognisable. Writing a log line never fails a job: a
 * database error loses the line (and is logged here) rather than stopping training.
 */
@Component
public class JobLogStore {

    private static final Logger log = LoggerFactory.getLogger(JobLogStore.class);

    /** How serious a line is. */
    public enum Level { INFO, WARN, ERROR }

    /** A line waiting to be written, stamped when it happened rather than when it is written. */
    public record Pending(Instant at, Level level, String message) {}

    /** A stored line as the API shows it. */
    public record Line(long id, int attempt, Instant at, Level level, String message) {}

    private final JdbcTemplate jdbc;

    JobLogStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes one line at once, outside any fence (start, end, errors: also from a lost attempt). */
    public void append(String jobId, int attempt, Level level, String message) {
        try {
            insert(jdbc, jobId, attempt, List.of(new Pending(Instant.now(), level, message)));
        } catch (DataAccessException | TransactionException e) {
            log.warn("job {} attempt {}: could not store log line \"{}\": {}", jobId, attempt, message, e.toString());
        }
    }

    /** Writes buffered lines with the given template, e.g. inside a worker's fenced transaction. */
    public void insert(JdbcTemplate j, String jobId, int attempt, List<Pending> lines) {
        if (lines.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(lines.size());
        for (Pending p : lines) {
            rows.add(new Object[] {jobId, attempt, Timestamp.from(p.at()), p.level().name(), Text.truncate(p.message())});
        }
        j.batchUpdate("INSERT INTO job_log (job_id, attempt, at, level, message) VALUES (?, ?, ?, ?, ?)", rows);
    }

    /** The first {@code limit} lines after {@code afterId}, or the last {@code limit} lines when it is null; oldest first. */
    List<Line> read(String jobId, Long afterId, int limit) {
        if (afterId != null) {
            return jdbc.query("""
                    SELECT id, attempt, at, level, message FROM job_log WHERE job_id = ? AND id > ?
                    ORDER BY id LIMIT ?""", (rs, n) -> line(rs), jobId, afterId, limit);
        }
        List<Line> newest = new ArrayList<>(jdbc.query("""
                SELECT id, attempt, at, level, message FROM job_log WHERE job_id = ?
                ORDER BY id DESC LIMIT ?""", (rs, n) -> line(rs), jobId, limit));
        java.util.Collections.reverse(newest);
        return newest;
    }

    private static Line line(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Line(rs.getLong(1), rs.getInt(2), rs.getTimestamp(3).toInstant(), Level.valueOf(rs.getString(4)), rs.getString(5));
    }

    /** Deletes every log line of the job: part of deleting an ended job, in the caller's transaction. */
    public int deleteJob(String jobId) {
        return jdbc.update("DELETE FROM job_log WHERE job_id = ?", jobId);
    }
}
