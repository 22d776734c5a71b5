package dev.dojo.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.support.Api;
import dev.dojo.support.Cluster;
import dev.dojo.support.NodeProcess;
import dev.dojo.support.Reference;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * SIGKILL a worker JVM at a random point of a job, ten times over, in a split deployment (one
 * api-only JVM, worker-only JVMs, PostgreSQL). The job must end SUCCEEDED once, every resumed
 * attempt must start from the checkpoint it found, and the metrics must equal an uninterrupted run's.
 */
class KillAndResumeTest {

    private static final int EPOCHS = 30_000;
    private static final String SPEC = "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":" + EPOCHS
            + ",\"hiddenUnits\":[128],\"checkpointEvery\":100,\"seed\":11}}";
    private static final Map<String, String> SETTINGS = Map.of(
            "dojo.queue.lease", "3s", "dojo.worker.heartbeat-interval", "500ms",
            "dojo.queue.sweep-interval", "500ms", "dojo.worker.poll-interval", "200ms", "dojo.jobs.max-attempts", "20");

    @Test
    void tenKillsLaterTheJobEndsOnceWithTheUninterruptedMetrics() {
        Random random = new Random(7);
        try (Cluster cluster = new Cluster("kill", SETTINGS)) {
            cluster.startWorkers(4);
            cluster.awaitReady();
            String id = cluster.api().submit(SPEC);
            List<Duration> takeovers = new ArrayList<>();
            for (int kill = 1; kill <= 10; kill++) {
                int attempt = kill;
                // A random point of the attempt, counted in epochs so that a fast machine cannot finish the job early.
                int past = 100 + random.nextInt(1400);
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                        .until(() -> runningAttemptMadeProgress(cluster, id, attempt, past));
                NodeProcess victim = cluster.holderOf(id).orElseThrow(() -> new AssertionError("job ended or has no holder before kill " + attempt));
                // The takeover measures the queue only when another worker stood idle, not a JVM's start-up.
                boolean idleWorker = cluster.db().queryForObject("SELECT COUNT(*) FROM worker_node WHERE current_job_id IS NULL"
                        + " AND stopped_at IS NULL AND heartbeat_at > CURRENT_TIMESTAMP - INTERVAL '2' SECOND", Integer.class) > 0;
                Instant killedAt = Instant.now();
                victim.kill9();
                cluster.startWorkerAsync();
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> attemptOf(cluster, id) == attempt + 1);
                Timestamp restarted = cluster.db().queryForObject(
                        "SELECT started_at FROM job_attempt WHERE job_id = ? AND attempt = ?", Timestamp.class, id, attempt + 1);
                if (idleWorker) {
                    takeovers.add(Duration.between(killedAt, restarted.toInstant()));
                }
            }
            JsonNode done = cluster.api().await(id, 300);
            assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(done.get("attempt").asInt()).isEqualTo(11);

            // Through the api node, as a client of the split deployment sees it.
            JsonNode lastPage = cluster.api().get("/api/jobs/" + id + "/metrics?name=train_loss&afterStep=" + (EPOCHS - 10) + "&limit=100").json();
            assertThat(lastPage.get("items").size()).isEqualTo(10);
            Api.Response predicted = cluster.api().post("/api/jobs/" + id + "/predictions", "{\"instances\": [0.5]}");
            assertThat(predicted.status()).isEqualTo(200);
            assertThat(predicted.json().at("/predictions/0").asDouble()).isCloseTo(Math.sin(3.14 * 0.5), org.assertj.core.data.Offset.offset(0.3));

            JsonNode attempts = done.get("attempts");
            assertThat(attempts.size()).isEqualTo(11);
            for (int i = 0; i < 10; i++) {
                assertThat(attempts.get(i).get("outcome").asString()).isEqualTo("LEASE_EXPIRED");
            }
            assertThat(attempts.get(10).get("outcome").asString()).isEqualTo("SUCCEEDED");
            for (int i = 1; i < 11; i++) {
                JsonNode a = attempts.get(i);
                Integer expected = cluster.db().queryForObject("""
                        SELECT MAX(checkpoint_number) FROM job_checkpoint WHERE job_id = ? AND created_at < ?""",
                        Integer.class, id, Timestamp.from(Instant.parse(a.get("startedAt").asString())));
                assertThat(a.get("resumedFromCheckpoint").asInt()).as("attempt %d resumed from", i + 1).isEqualTo(expected);
                Integer epoch = cluster.db().queryForObject("SELECT epoch FROM job_checkpoint WHERE job_id = ? AND checkpoint_number = ?",
                        Integer.class, id, expected);
                assertThat(a.get("resumedFromEpoch").asInt()).isEqualTo(epoch);
            }

            List<Double> losses = cluster.db().queryForList(
                    "SELECT metric_value FROM job_metric WHERE job_id = ? AND name = 'train_loss' ORDER BY step", Double.class, id);
            List<Long> steps = cluster.db().queryForList(
                    "SELECT step FROM job_metric WHERE job_id = ? AND name = 'train_loss' ORDER BY step", Long.class, id);
            assertThat(steps).hasSize(EPOCHS);
            for (int i = 0; i < EPOCHS; i++) {
                assertThat(steps.get(i)).isEqualTo(i + 1L);
            }
            List<Double> reference = Reference.sineLosses(EPOCHS, List.of(128), 11, 100);
            for (int i = 0; i < EPOCHS; i++) {
                assertThat(losses.get(i)).as("train_loss at epoch %d", i + 1)
                        .isCloseTo(reference.get(i), org.assertj.core.data.Percentage.withPercentage(1e-3));
            }
            Duration worst = takeovers.stream().max(Duration::compareTo).orElse(Duration.ZERO);
            double mean = takeovers.stream().mapToLong(Duration::toMillis).average().orElse(Double.NaN);
            System.out.printf("FIGURE kill-takeover: SIGKILL to next attempt running on an idle worker elsewhere: mean %.0f ms, "
                    + "max %d ms over %d kills (lease 3 s, sweep every 0.5 s, poll every 0.2 s)%n", mean, worst.toMillis(), takeovers.size());
        }
    }

    private static boolean runningAttemptMadeProgress(Cluster cluster, String id, int attempt, int epochs) {
        List<Map<String, Object>> rows = cluster.db().queryForList(
                "SELECT j.status, j.attempt, j.current_epoch, a.resumed_from_epoch FROM training_job j "
                        + "LEFT JOIN job_attempt a ON a.job_id = j.id AND a.attempt = j.attempt WHERE j.id = ?", id);
        Map<String, Object> r = rows.get(0);
        return "RUNNING".equals(r.get("status")) && ((Number) r.get("attempt")).intValue() == attempt
                && r.get("resumed_from_epoch") != null
                && ((Number) r.get("current_epoch")).intValue() >= ((Number) r.get("resumed_from_epoch")).intValue() + epochs;
    }

    private static int attemptOf(Cluster cluster, String id) {
        return cluster.db().queryForObject("SELECT attempt FROM training_job WHERE id = ? AND status = 'RUNNING'"
                + " UNION ALL SELECT -1 FROM training_job WHERE id = ? AND status <> 'RUNNING'", Integer.class, id, id);
    }
}
