package dev.dojo.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Checkpoint bytes and their metadata in the {@code job_checkpoint} table. Writes run inside the
 * worker's fenced transaction; reads stream the blob rather than holding it twice.
 */
@Component
public class CheckpointStore {

    /** A stored checkpoint with its row id: the order checkpoints were written in, which an event stream follows. */
    public record Row(long id, int number, int epoch, long step, long sizeBytes, String sha256, Instant createdAt) {}

    private static final String COLUMNS = "checkpoint_number, epoch, step, size_bytes, sha256, created_at";

    private final JdbcTemplate jdbc;

    CheckpointStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Adds the job's next checkpoint; call inside a fenced transaction so numbers stay dense. The
     * same bytes at the same step are stored once, so a retried write does not duplicate them.
     */
    public int insert(JdbcTemplate fencedJdbc, String jobId, int attempt, int epoch, long step, byte[] data) {
        String hash = DigestUtils.sha256Hex(data);
        List<Integer> same = fencedJdbc.queryForList(
                "SELECT checkpoint_number FROM job_checkpoint WHERE job_id = ? AND step = ? AND sha256 = ?", Integer.class, jobId, step, hash);
        if (!same.isEmpty()) {
            return same.get(0);
        }
        Integer last = fencedJdbc.queryForObject(
                "SELECT MAX(checkpoint_number) FROM job_checkpoint WHERE job_id = ?", Integer.class, jobId);
        int number = last == null ? 1 : last + 1;
        fencedJdbc.update("""
                INSERT INTO job_checkpoint (job_id, checkpoint_number, epoch, step, size_bytes, sha256, data, created_at, attempt)
                VALUES (?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, ?)""",
                jobId, number, epoch, step, (long) data.length, hash, data, attempt);
        return number;
    }

    public List<CheckpointInfo> list(String jobId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM job_checkpoint WHERE job_id = ? ORDER BY checkpoint_number",
                (rs, n) -> new CheckpointInfo(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                        rs.getTimestamp(6).toInstant()), jobId);
    }

    public Optional<CheckpointInfo> latest(String jobId) {
        List<CheckpointInfo> all = jdbc.query("SELECT " + COLUMNS + " FROM job_checkpoint WHERE job_id = ? "
                        + "ORDER BY checkpoint_number DESC LIMIT 1",
                (rs, n) -> new CheckpointInfo(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                        rs.getTimestamp(6).toInstant()), jobId);
        return all.stream().findFirst();
    }

    /** The checkpoints written after row {@code afterId}, in id order. */
    public List<Row> after(String jobId, long afterId) {
        return jdbc.query("""
                SELECT id, checkpoint_number, epoch, step, size_bytes, sha256, created_at FROM job_checkpoint
                WHERE job_id = ? AND id > ? ORDER BY id""",
                (rs, n) -> new Row(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getLong(4), rs.getLong(5),
                        rs.getString(6), rs.getTimestamp(7).toInstant()), jobId, afterId);
    }

    /** The newest checkpoint row id of the job, 0 when it has none. */
    public long lastId(String jobId) {
        Long id = jdbc.queryForObject("SELECT MAX(id) FROM job_checkpoint WHERE job_id = ?", Long.class, jobId);
        return id == null ? 0 : id;
    }

    public Optional<CheckpointInfo> find(String jobId, int number) {
        return list(jobId).stream().filter(c -> c.number() == number).findFirst();
    }

    /** The checkpoint's bytes, checked against the SHA-256 recorded when it was written. */
    public byte[] read(String jobId, int number) {
        try {
            return jdbc.queryForObject("SELECT data, sha256 FROM job_checkpoint WHERE job_id = ? AND checkpoint_number = ?",
                    (rs, n) -> {
                        byte[] data = rs.getBytes(1);
                        if (!DigestUtils.sha256Hex(data).equals(rs.getString(2))) {
                            throw new IllegalStateException("checkpoint " + number + " of job " + jobId + " fails its SHA-256 check");
                        }
                        return data;
                    }, jobId, number);
        } catch (EmptyResultDataAccessException e) {
            throw new IllegalArgumentException("job " + jobId + " has no checkpoint " + number, e);
        }
    }

    /** Copies the checkpoint's bytes to {@code out} straight from the database stream. */
    public void copyTo(String jobId, int number, OutputStream out) {
        jdbc.query("SELECT data FROM job_checkpoint WHERE job_id = ? AND checkpoint_number = ?", rs -> {
            try (InputStream in = rs.getBinaryStream(1)) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, jobId, number);
    }

    /**
     * Keeps only the newest {@code keep} checkpoints of the job (at least the newest, {@code newest}):
     * call inside the fenced transaction that wrote {@code newest}, so that resume always finds it.
     */
    public int prune(JdbcTemplate fencedJdbc, String jobId, int newest, int keep) {
        return fencedJdbc.update("DELETE FROM job_checkpoint WHERE job_id = ? AND checkpoint_number <= ?",
                jobId, newest - Math.max(1, keep));
    }

    /** Deletes every checkpoint of the job: part of deleting an ended job, in the caller's transaction. */
    public int deleteJob(String jobId) {
        return jdbc.update("DELETE FROM job_checkpoint WHERE job_id = ?", jobId);
    }

    /** The checkpoint bytes each job holds, of the jobs that hold any. */
    public java.util.Map<String, Long> bytesByJob() {
        java.util.Map<String, Long> bytes = new java.util.HashMap<>();
        jdbc.query("SELECT job_id, SUM(size_bytes) FROM job_checkpoint GROUP BY job_id",
                rs -> { bytes.put(rs.getString(1), rs.getLong(2)); });
        return bytes;
    }
}
