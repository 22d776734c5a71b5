package dev.dojo.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The {@code worker_node} table: which worker threads exist, what they run, when they last beat. */
@Component
class WorkerRegistry {

    /** A worker thread as {@code GET /api/workers} shows it. */
    record WorkerView(String workerId, String nodeId, String device, int gpus, Instant startedAt, Instant lastHeartbeat,
                      String currentJobId) {}

    private final JdbcTemplate jdbc;

    WorkerRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void register(String workerId, String nodeId, String device, int gpus) {
        if (jdbc.update("""
                UPDATE worker_node SET node_id = ?, device = ?, gpus = ?, started_at = CURRENT_TIMESTAMP, heartbeat_at = CURRENT_TIMESTAMP,
                  current_job_id = NULL, stopped_at = NULL WHERE worker_id = ?""", nodeId, device, gpus, workerId) == 0) {
            jdbc.update("""
                    INSERT INTO worker_node (worker_id, node_id, device, gpus, started_at, heartbeat_at)
                    VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)""", workerId, nodeId, device, gpus);
        }
    }

    void beat(String workerId, String currentJobId) {
        jdbc.update("UPDATE worker_node SET heartbeat_at = CURRENT_TIMESTAMP, current_job_id = ? WHERE worker_id = ?",
                currentJobId, workerId);
    }

    void stopped(String workerId) {
        jdbc.update("UPDATE worker_node SET stopped_at = CURRENT_TIMESTAMP, current_job_id = NULL WHERE worker_id = ?", workerId);
    }

    /** Workers that beat within the last {@code lease} and have not stopped, by database time. */
    List<WorkerView> live(Duration lease) {
        return jdbc.query("""
                SELECT worker_id, node_id, device, gpus, started_at, heartbeat_at, current_job_id FROM worker_node
                WHERE stopped_at IS NULL AND heartbeat_at > CURRENT_TIMESTAMP - CAST(? AS INTEGER) * INTERVAL '1' SECOND
                ORDER BY worker_id""", (rs, n) -> new WorkerView(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getInt(4), rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getString(7)), lease.toSeconds());
    }
}
