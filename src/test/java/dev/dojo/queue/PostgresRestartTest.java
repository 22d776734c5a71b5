package dev.dojo.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.support.Cluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL stops for longer than a lease while workers train, then comes back. Workers ride it
 * out: the jobs finish, and none is requeued, because its worker was alive all along.
 */
class PostgresRestartTest {

    private static final int EPOCHS = 30_000;

    @Test
    void workersRideOutADatabaseRestartAndNoJobIsRequeued() throws Exception {
        try (Cluster cluster = new Cluster("pgrestart", Map.of(
                "dojo.queue.lease", "2s", "dojo.worker.heartbeat-interval", "400ms", "dojo.queue.sweep-interval", "500ms",
                "dojo.worker.poll-interval", "200ms"))) {
            cluster.startWorkers(2);
            cluster.awaitReady();
            List<String> ids = Stream.of(1, 2).map(seed -> cluster.api().submit("{\"task\":\"sine-regression\",\"hyperparameters\":"
                    + "{\"epochs\":" + EPOCHS + ",\"hiddenUnits\":[128],\"checkpointEvery\":500,\"seed\":" + seed + "}}")).toList();
            await().atMost(Duration.ofMinutes(2)).until(() -> cluster.db().queryForObject(
                    "SELECT COUNT(*) FROM training_job WHERE status = 'RUNNING' AND current_epoch > 200", Integer.class) == 2);

            pgctl("stop");
            Thread.sleep(5000);
            pgctl("start");
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> cluster.db().queryForObject(
                    "SELECT COUNT(*) FROM training_job WHERE status = 'RUNNING' AND attempt = 1", Integer.class) == 2);

            for (String id : ids) {
                JsonNode done = cluster.api().await(id, 300);
                assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
                assertThat(done.get("attempt").asInt()).as("attempts of %s", id).isEqualTo(1);
                assertThat(done.get("attempts").size()).isEqualTo(1);
                List<Long> steps = cluster.db().queryForList(
                        "SELECT step FROM job_metric WHERE job_id = ? AND name = 'train_loss' ORDER BY step", Long.class, id);
                assertThat(steps).hasSize(EPOCHS);
                assertThat(steps.get(EPOCHS - 1)).isEqualTo(EPOCHS);
            }
        }
    }

    /** Stops or starts this machine's PostgreSQL cluster (tests run as root, as CI does). */
    private static void pgctl(String action) throws IOException, InterruptedException {
        String version;
        try (Stream<Path> versions = Files.list(Path.of("/etc/postgresql"))) {
            version = versions.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
        }
        Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("pg_ctlcluster %s: %s", action, out).isZero();
    }
}
