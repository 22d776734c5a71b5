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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * What happens to a job when its worker process freezes, is stopped, or is told to cancel from
 * another node: one split deployment (api JVM, worker JVMs, PostgreSQL) for all three.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerFailuresTest {

    private static final int EPOCHS = 12_000;
    private static final List<Integer> HIDDEN = List.of(128);

    private Cluster cluster;

    @BeforeAll
    void start() {
        cluster = new Cluster("failures", Map.of(
                "dojo.queue.lease", "4s", "dojo.worker.heartbeat-interval", "400ms", "dojo.queue.sweep-interval", "500ms",
                "dojo.worker.poll-interval", "200ms", "dojo.worker.shutdown-grace", "20s"));
        cluster.startWorkers(3);
        cluster.awaitReady();
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    private String submit(long seed, int checkpointEvery) {
        return cluster.api().submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":" + EPOCHS
                + ",\"hiddenUnits\":[128],\"checkpointEvery\":" + checkpointEvery + ",\"seed\":" + seed + "}}");
    }

    @Test
    void aFrozenWorkersLateWritesAreAllRefusedAndTheNewAttemptAloneFinishes() {
        String id = submit(5, 200);
        awaitProgress(id, 1, 300);
        NodeProcess zombie = cluster.holderOf(id).orElseThrow();
        zombie.signal("STOP");
        try {
            awaitProgress(id, 2, 600);
        } finally {
            zombie.signal("CONT");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> refusedWrites(zombie) >= 1);
        JsonNode done = cluster.api().await(id, 300);

        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("attempt").asInt()).isEqualTo(2);
        JsonNode first = done.get("attempts").get(0);
        JsonNode second = done.get("attempts").get(1);
        assertThat(first.get("workerId").asString()).startsWith(zombie.name() + "/");
        assertThat(first.get("outcome").asString()).isEqualTo("LEASE_EXPIRED");
        assertThat(second.get("workerId").asString()).doesNotStartWith(zombie.name() + "/");
        assertThat(second.get("outcome").asString()).isEqualTo("SUCCEEDED");
        Timestamp takeover = Timestamp.from(Instant.parse(second.get("startedAt").asString()));
        assertThat(cluster.db().queryForObject("SELECT COUNT(*) FROM job_metric WHERE job_id = ? AND attempt = 1 AND recorded_at > ?",
                Integer.class, id, takeover)).as("metric rows of the old attempt written after the takeover").isZero();
        assertThat(cluster.db().queryForObject("SELECT COUNT(*) FROM job_checkpoint WHERE job_id = ? AND attempt = 1 AND created_at > ?",
                Integer.class, id, takeover)).as("checkpoints of the old attempt written after the takeover").isZero();
        assertThat(cluster.db().queryForObject("SELECT attempt FROM job_checkpoint WHERE job_id = ? ORDER BY checkpoint_number DESC LIMIT 1",
                Integer.class, id)).isEqualTo(2);
        assertThat(zombie.isAlive()).as("the old worker keeps serving other jobs").isTrue();
        assertLossesMatchAnUninterruptedRun(id, 5);
    }

    @Test
    void sigtermCheckpointsWhereTheJobIsAndAnotherWorkerContinuesWithoutSpendingAnAttempt() {
        String id = submit(6, 5000);
        awaitProgress(id, 1, 700);
        NodeProcess leaving = cluster.holderOf(id).orElseThrow();
        long start = System.nanoTime();
        leaving.terminate(Duration.ofSeconds(25));
        long stoppedInMs = (System.nanoTime() - start) / 1_000_000;
        cluster.startWorkerAsync();
        JsonNode done = cluster.api().await(id, 300);

        assertThat(stoppedInMs).as("SIGTERM to exit, ms").isLessThan(20_000);
        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
        JsonNode first = done.get("attempts").get(0);
        JsonNode second = done.get("attempts").get(1);
        assertThat(first.get("outcome").asString()).isEqualTo("SHUTDOWN");
        int handedBackAt = checkpointEpochOf(first.get("reason").asString());
        assertThat(handedBackAt % 5000).as("checkpointed where it stood, not at a periodic checkpoint").isNotZero();
        assertThat(second.get("resumedFromEpoch").asInt()).isEqualTo(handedBackAt);
        assertThat(done.get("attempts").size()).isEqualTo(2);
        assertLossesMatchAnUninterruptedRun(id, 6);
    }

    @Test
    void aCancelSentToTheApiStopsTheJobOnItsWorkerWithinAHeartbeat() {
        String id = submit(7, 1000);
        awaitProgress(id, 1, 200);
        long start = System.nanoTime();
        Api.Response cancel = cluster.api().post("/api/jobs/" + id + "/cancel", null);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(ms).as("cancel acknowledged after, ms").isLessThan(3_000);
        Integer rows = cluster.db().queryForObject("SELECT COUNT(*) FROM job_metric WHERE job_id = ?", Integer.class, id);
        sleep(1500);
        assertThat(cluster.db().queryForObject("SELECT COUNT(*) FROM job_metric WHERE job_id = ?", Integer.class, id))
                .as("no step after the cancel was acknowledged").isEqualTo(rows);
    }

    /**
     * Waits until the job runs its {@code attempt} and has trained {@code epochsPastResume} epochs
     * past where that attempt resumed. On a timeout the message names the row as last seen and every
     * attempt's outcome, so that a lease lost to a stalled machine reads as such.
     */
    private void awaitProgress(String id, int attempt, int epochsPastResume) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            Map<String, Object> r = cluster.db().queryForMap("SELECT j.status, j.attempt, j.current_epoch, a.resumed_from_epoch "
                    + "FROM training_job j LEFT JOIN job_attempt a ON a.job_id = j.id AND a.attempt = j.attempt WHERE j.id = ?", id);
            String seen = r + ", attempts " + cluster.db().queryForList(
                    "SELECT attempt, worker_id, outcome, reason FROM job_attempt WHERE job_id = ? ORDER BY attempt", id);
            assertThat(((Number) r.get("attempt")).intValue()).as("attempt, past the one awaited: %s", seen).isLessThanOrEqualTo(attempt);
            assertThat("RUNNING".equals(r.get("status")) && ((Number) r.get("attempt")).intValue() == attempt
                    && r.get("resumed_from_epoch") != null
                    && ((Number) r.get("current_epoch")).intValue() >= ((Number) r.get("resumed_from_epoch")).intValue() + epochsPastResume)
                    .as("attempt %d running %d epochs past its resume: %s", attempt, epochsPastResume, seen).isTrue();
        });
    }

    private static int checkpointEpochOf(String reason) {
        Matcher m = Pattern.compile("after epoch (\\d+)").matcher(reason);
        assertThat(m.find()).as(reason).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private double refusedWrites(NodeProcess worker) {
        Api.Response r = new Api(worker.port()).get("/actuator/prometheus");
        Matcher m = Pattern.compile("(?m)^dojo_worker_fenced_writes_refused_total(?:\\{[^}]*})? ([0-9.eE+]+)$").matcher(r.text());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private void assertLossesMatchAnUninterruptedRun(String id, long seed) {
        List<Double> losses = cluster.db().queryForList(
                "SELECT metric_value FROM job_metric WHERE job_id = ? AND name = 'train_loss' ORDER BY step", Double.class, id);
        List<Double> reference = Reference.sineLosses(EPOCHS, HIDDEN, seed, 200);
        assertThat(losses).hasSize(EPOCHS);
        for (int i = 0; i < EPOCHS; i++) {
            assertThat(losses.get(i)).as("train_loss at epoch %d", i + 1)
                    .isCloseTo(reference.get(i), org.assertj.core.data.Percentage.withPercentage(1e-3));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
