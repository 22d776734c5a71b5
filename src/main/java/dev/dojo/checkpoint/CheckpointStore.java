package dev.dojo.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Checkpoint bytes and their metadata in the {@code job_checkpoint} table. Writes run inside the
 * worker's fenced transaction; reads stream the blob rather than holding it twice.
 */
@Component
public class CheckpointStore {

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
        String hash = sha256(data);
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

    public Optional<CheckpointInfo> find(String jobId, int number) {
        return list(jobId).stream().filter(c -> c.number() == number).findFirst();
    }

    /** The checkpoint's bytes, checked against the SHA-256 recorded when it was written. */
    public byte[] read(String jobId, int number) {
        try {
            return jdbc.queryForObject("SELECT data, sha256 FROM job_checkpoint WHERE job_id = ? AND checkpoint_number = ?",
                    (rs, n) -> {
                        byte[] data = rs.getBytes(1);
                        if (!sha256(data).equals(rs.getString(2))) {
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

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
