package dev.dojo.queue;

import dev.dojo.training.TaskCatalog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code dojo_queue_jobs{status,task}}: how many jobs the database holds in each status, per task.
 * One gauge per (status, task) this build knows, all read from one GROUP BY query that is run at
 * most once per {@link #CACHE}, however many gauges a scrape reads. Every node exports it (the
 * database is shared, so any node's figure is the cluster's).
 */
@Component
class QueueMetrics {

    private static final Duration CACHE = Duration.ofSeconds(5);

    private final JdbcTemplate jdbc;
    private Map<String, Long> counts = Map.of();
    private long readAt;

    QueueMetrics(JdbcTemplate jdbc, TaskCatalog tasks, MeterRegistry meters) {
        this.jdbc = jdbc;
        for (String task : tasks.names()) {
            for (JobStatus status : JobStatus.values()) {
                String key = status.name() + "/" + task;
                Gauge.builder("dojo.queue.jobs", () -> snapshot().getOrDefault(key, 0L))
                        .description("Jobs in the database by status and task (cached for 5 s)")
                        .tags("status", status.name(), "task", task)
                        .register(meters);
            }
        }
    }

    private synchronized Map<String, Long> snapshot() {
        long now = System.nanoTime();
        if (readAt == 0 || now - readAt > CACHE.toNanos()) {
            try {
                Map<String, Long> fresh = new HashMap<>();
                jdbc.query("SELECT status, task, COUNT(*) FROM training_job GROUP BY status, task",
                        rs -> { fresh.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3)); });
                counts = fresh;
            } catch (RuntimeException e) {
                // The database is away: the last counts stand rather than the scrape failing.
            }
            readAt = now;
        }
        return counts;
    }
}
