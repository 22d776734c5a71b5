package dev.dojo.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dropped connection of issue 13 done for real: {@code client run} follows a job through an
 * api-only JVM while a worker-only JVM trains it, both on PostgreSQL; the api JVM is stopped
 * (SIGTERM) and a new one started on the same port. The client rides out the refused connections,
 * resumes the event stream with {@code Last-Event-ID}, and ends with exit 0 and one job. The
 * stopping api node ends its event streams and answers its long polls at once instead of holding
 * its graceful shutdown for them.
 */
class ClientRestartTest {

    /** Long enough (about a minute here) that the stream is cut while the job runs, and usually resumed while it still does. */
    private static final String SPEC = "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":60000,\"hiddenUnits\":[16]}}";
    /**
     * The api node shuts down gracefully, as in production, and would wait up to 120 s for open
     * requests: an event stream stays open until its job ends, and a long poll up to its waitSeconds.
     * The node must end both itself when it stops, well within that.
     */
    private static final Map<String, String> SETTINGS = Map.of("dojo.worker.poll-interval", "200ms",
            "spring.lifecycle.timeout-per-shutdown-phase", "120s");

    @TempDir
    Path dir;

    @Test
    void theApiNodeRestartedUnderARunningClientEndsInOneJobAndExitZero() throws Exception {
        try (Cluster cluster = new Cluster("clientrestart", SETTINGS)) {
            cluster.startWorkers(1);
            cluster.awaitReady();
            String key = "ci-" + UUID.randomUUID();
            String label = "restart-" + UUID.randomUUID();
            Path spec = Files.writeString(dir.resolve("spec.json"), SPEC);
            int port = cluster.apiNode().port();
            ClientProcess.Started started = ClientProcess.start(dir, "run", spec.toString(), "--idempotency-key", key,
                    "--label", "test=" + label, "--url", "http://127.0.0.1:" + port, "--timeout", "600s");
            long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!started.errSoFar().contains("dojo: epoch ") && started.process().isAlive() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(started.process().isAlive()).as(started.errSoFar()).isTrue();
            Matcher submitted = Pattern.compile("dojo: job (\\S+) QUEUED").matcher(started.errSoFar());
            assertThat(submitted.find()).as(started.errSoFar()).isTrue();
            String id = submitted.group(1);

            // A long poll open on the old node as well, as a pipeline's `client wait` would hold one.
            java.util.concurrent.CompletableFuture<dev.dojo.support.Api.Response> poll = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> cluster.api().get("/api/jobs/" + id + "?waitSeconds=60"));
            Thread.sleep(500);
            // Far below the 120 s the graceful shutdown would grant the stream and the poll: the node ends them itself.
            cluster.apiNode().restart(Duration.ofSeconds(45)).awaitReady(Duration.ofMinutes(3));
            dev.dojo.support.Api.Response polled = poll.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(polled.status()).as(polled.text()).isEqualTo(200);
            assertThat(polled.json().get("status").asString()).as("answered with the job as it stood").isIn("QUEUED", "RUNNING");
            assertThat(cluster.apiNode().port()).as("the new api JVM listens where the old one did").isEqualTo(port);
            ClientProcess.Result run = started.result();

            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.json().get("id").asString()).isEqualTo(id);
            assertThat(run.json().get("status").asString()).isEqualTo("SUCCEEDED");
            // It lost the api node (a refused connection while no JVM listened) and came back from the last event it had.
            assertThat(run.err()).as(run.err()).contains("connection lost").contains("from event ");
            assertThat(run.err().indexOf("connection lost")).as("the stream dropped while the job ran: " + run.err())
                    .isLessThan(run.err().indexOf("job " + id + " SUCCEEDED"));
            assertThat(cluster.db().queryForObject("SELECT count(*) FROM training_job", Integer.class)).isEqualTo(1);
            assertThat(cluster.db().queryForObject("SELECT job_id FROM idempotency_key WHERE idem_key = ?", String.class, key))
                    .isEqualTo(id);
            assertThat(cluster.api().get("/api/jobs?label=" + java.net.URLEncoder.encode("test=" + label, java.nio.charset.StandardCharsets.UTF_8)).json().get("items").size()).isEqualTo(1);
        }
    }
}
