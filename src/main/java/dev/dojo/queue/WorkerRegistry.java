package dev.dojo.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code worker_node} table: the queue's members. Which worker threads exist, what they run,
 * when they last beat, and how many GPUs each offers.
 */
@Component
public class WorkerRegistry {

    /** A worker thread as {@code GET /api/workers} shows it. */
    public record WorkerView(String workerId, String nodeId, String device, int gpus, Instant startedAt, Instant lastHeartbeat,
                      String currentJobId) {}

    private final JdbcTemplate jdbc;

    WorkerRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void register(String workerId, String nodeId, String device, int gpus) {
        if (jdbc.update("""
                UPDATE worker_node SET node_id = ?, device = ?, gpus = ?, started_at = CURRENT_TIMESTAMP, heartbeat_at = CURRENT_TIMESTAMP,
                  current_job_id = NULL, stopped_at = NULL WHERE worker_id = ?""", nodeId, device, gpus, workerId) == 0) {
            jdbc.update("""
                    INSERT INTO worker_node (worker_id, node_id, device, gpus, started_at, heartbeat_at)
                    VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)""", workerId, nodeId, device, gpus);
        }
    }

    public void beat(String workerId, String currentJobId) {
        jdbc.update("UPDATE worker_node SET heartbeat_at = CURRENT_TIMESTAMP, current_job_id = ? WHERE worker_id = ?",
                currentJobId, workerId);
    }

    public void stopped(String workerId) {
        jdbc.update("UPDATE worker_node SET stopped_at = CURRENT_TIMESTAMP, current_job_id = NULL WHERE worker_id = ?", workerId);
    }

    /** Workers that beat within the last {@code lease} and have not stopped, by database time. */
    public List<WorkerView> live(Duration lease) {
        return jdbc.query("""
                SELECT worker_id, node_id, device, gpus, started_at, heartbeat_at, current_job_id FROM worker_node
                WHERE stopped_at IS NULL AND heartbeat_at > CURRENT_TIMESTAMP - CAST(? AS INTEGER) * INTERVAL '1' SECOND
                ORDER BY worker_id""", (rs, n) -> new WorkerView(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getInt(4), rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getString(7)), lease.toSeconds());
    }

    /** The GPUs each live worker slot offers (heartbeat within {@code lease}, not stopped), one entry per slot. */
    public List<Integer> liveSlotGpus(Duration lease) {
        return jdbc.queryForList("""
                SELECT gpus FROM worker_node WHERE stopped_at IS NULL
                  AND heartbeat_at > CURRENT_TIMESTAMP - CAST(? AS INTEGER) * INTERVAL '1' SECOND""", Integer.class, lease.toSeconds());
    }

    /** The last heartbeat of each worker slot of {@code nodeId} that has not stopped and beat within {@code lease}. */
    public java.util.Map<String, Instant> recentHeartbeats(String nodeId, Duration lease) {
        java.util.Map<String, Instant> beats = new java.util.TreeMap<>();
        jdbc.query("""
                SELECT worker_id, heartbeat_at FROM worker_node WHERE node_id = ? AND stopped_at IS NULL
                  AND heartbeat_at > CURRENT_TIMESTAMP - CAST(? AS INTEGER) * INTERVAL '1' SECOND""",
                rs -> { beats.put(rs.getString(1), rs.getTimestamp(2).toInstant()); }, nodeId, lease.toSeconds());
        return beats;
    }
}
