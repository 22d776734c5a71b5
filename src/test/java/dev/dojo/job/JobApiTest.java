package dev.dojo.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.support.Api;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The job API end to end: real HTTP on a random port, a real worker, the embedded database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/job-api-${random.uuid}", "dojo.node-id=job-api-test"})
class JobApiTest {

    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(port);
    }

    @Test
    void seedSineJobTrainsEndToEnd() throws Exception {
        Api.Response submitted = api.post("/api/jobs", "{\"task\":\"sine-regression\"}");
        assertThat(submitted.status()).isEqualTo(202);
        String id = submitted.json().get("id").asString();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(submitted.header("Location")).isEqualTo("/api/jobs/" + id);
        assertThat(submitted.json().get("status").asString()).isIn("QUEUED", "RUNNING");
        JsonNode spec = submitted.json().get("spec");
        assertThat(spec.at("/hyperparameters/epochs").asInt()).isEqualTo(500);
        assertThat(spec.at("/hyperparameters/hiddenUnits/0").asInt()).isEqualTo(512);
        assertThat(spec.at("/hyperparameters/optimizer").asString()).isEqualTo("adam");
        assertThat(spec.at("/data/samples").asInt()).isEqualTo(64);

        JsonNode done = api.await(id, 120);
        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.at("/progress/epoch").asInt()).isEqualTo(500);
        assertThat(done.at("/progress/epochs").asInt()).isEqualTo(500);
        assertThat(done.get("attempt").asInt()).isEqualTo(1);
        assertThat(done.get("device").asString()).isEqualTo("cpu");
        assertThat(done.get("startedAt").isNull()).isFalse();
        assertThat(done.get("finishedAt").isNull()).isFalse();
        assertThat(done.at("/latestMetrics/train_loss/value").asDouble()).isLessThanOrEqualTo(0.06);
        assertThat(done.at("/latestMetrics/train_loss/epoch").asInt()).isEqualTo(500);

        List<JsonNode> all = allMetrics(id, 128);
        List<JsonNode> metrics = all.stream().filter(m -> m.get("name").asString().equals("train_loss")).toList();
        assertThat(metrics).hasSize(500);
        // fit_mse, the error against the clean curve, at each of the 10 checkpoints.
        assertThat(all.stream().filter(m -> m.get("name").asString().equals("fit_mse")).map(m -> m.get("epoch").asInt()))
                .containsExactly(50, 100, 150, 200, 250, 300, 350, 400, 450, 500);
        assertThat(all).hasSize(510);
        for (int i = 0; i < 500; i++) {
            JsonNode m = metrics.get(i);
            assertThat(m.get("name").asString()).isEqualTo("train_loss");
            assertThat(m.get("epoch").asInt()).isEqualTo(i + 1);
            assertThat(m.get("step").asLong()).isEqualTo(i + 1);
            assertThat(m.has("recordedAt")).isTrue();
        }

        JsonNode checkpoints = api.get("/api/jobs/" + id + "/checkpoints").json();
        assertThat(checkpoints.size()).isEqualTo(10);
        for (int n = 1; n <= 10; n++) {
            JsonNode c = checkpoints.get(n - 1);
            assertThat(c.get("number").asInt()).isEqualTo(n);
            assertThat(c.get("epoch").asInt()).isEqualTo(50 * n);
            assertThat(c.get("step").asLong()).isEqualTo(50L * n);
        }
        JsonNode last = checkpoints.get(9);
        Api.Response download = api.get("/api/jobs/" + id + "/checkpoints/10");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.contentType()).isEqualTo("application/octet-stream");
        assertThat((long) download.raw().body().length).isEqualTo(last.get("sizeBytes").asLong());
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(download.raw().body())))
                .isEqualTo(last.get("sha256").asString());

        Api.Response predicted = api.post("/api/jobs/" + id + "/predictions", "{\"instances\": [0.5, -0.25]}");
        assertThat(predicted.status()).isEqualTo(200);
        assertThat(predicted.json().get("predictions").get(0).asDouble()).isCloseTo(Math.sin(3.14 * 0.5), org.assertj.core.data.Offset.offset(0.2));
        assertThat(predicted.json().get("predictions").get(1).asDouble()).isCloseTo(Math.sin(3.14 * -0.25), org.assertj.core.data.Offset.offset(0.2));
        assertThat(predicted.json().get("checkpoint").asInt()).isEqualTo(10);

        Api.Response early = api.post("/api/jobs/" + id + "/predictions?checkpoint=1", "{\"instances\": [0.5]}");
        assertThat(early.json().get("checkpoint").asInt()).isEqualTo(1);
        assertThat(early.json().get("predictions").get(0).asDouble()).isNotEqualTo(predicted.json().get("predictions").get(0).asDouble());

        JsonNode model = api.get("/api/jobs/" + id + "/model").json();
        assertThat(model.get("totalParameters").asLong()).isEqualTo(1537);
        assertThat(model.get("layers").get(1).asString()).isEqualTo("Tanh()");
        assertThat(model.get("parameters").get(0).get("shape").toString()).isEqualTo("[512,1]");

        JsonNode succeeded = api.get("/api/jobs?status=SUCCEEDED&task=sine-regression").json();
        assertThat(succeeded.get("items").findValuesAsString("id")).contains(id);
        assertThat(api.get("/api/jobs?status=FAILED").json().get("items").findValuesAsString("id")).doesNotContain(id);
    }

    @Test
    void listsNewestFirstInPages() {
        String first = api.submit("{\"task\":\"sine-regression\",\"name\":\"first\",\"hyperparameters\":{\"epochs\":5}}");
        String second = api.submit("{\"task\":\"sine-regression\",\"name\":\"second\",\"hyperparameters\":{\"epochs\":5}}");
        api.await(first, 60);
        api.await(second, 60);
        JsonNode page = api.get("/api/jobs?size=1&page=0").json();
        assertThat(page.get("items").size()).isEqualTo(1);
        assertThat(page.get("totalItems").asLong()).isGreaterThanOrEqualTo(2);
        List<String> ids = api.get("/api/jobs?size=200").json().get("items").findValuesAsString("id");
        assertThat(ids.indexOf(second)).isLessThan(ids.indexOf(first));
    }

    @Test
    void cancelStopsARunningJobAndAQueuedJobNeverStarts() {
        String running = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":100000,\"checkpointEvery\":50}}");
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/jobs/" + running + "/checkpoints").json().size() >= 2);
        String queued = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":10}}");

        Api.Response cancelQueued = api.post("/api/jobs/" + queued + "/cancel", null);
        assertThat(cancelQueued.status()).isEqualTo(200);
        assertThat(cancelQueued.json().get("status").asString()).isEqualTo("CANCELLED");

        Api.Response cancelRunning = api.post("/api/jobs/" + running + "/cancel", null);
        assertThat(cancelRunning.status()).isEqualTo(200);
        JsonNode stopped = cancelRunning.json();
        assertThat(stopped.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(stopped.at("/progress/epoch").asInt()).isBetween(100, 99_999);
        long metricsAtCancel = allMetrics(running, 5000).size();
        assertThat(metricsAtCancel).isGreaterThanOrEqualTo(100);
        assertThat(api.get("/api/jobs/" + running + "/checkpoints").json().size()).isGreaterThanOrEqualTo(2);

        Api.Response again = api.post("/api/jobs/" + running + "/cancel", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).isEqualTo("application/problem+json");
        assertThat(again.json().get("status").asInt()).isEqualTo(409);
        assertThat(again.json().get("jobStatus").asString()).isEqualTo("CANCELLED");

        // The worker is free again: a later job runs, and the cancelled queued one still has not.
        String later = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":10}}");
        assertThat(api.await(later, 60).get("status").asString()).isEqualTo("SUCCEEDED");
        JsonNode never = api.get("/api/jobs/" + queued).json();
        assertThat(never.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(never.get("attempt").asInt()).isZero();
        assertThat(never.get("startedAt").isNull()).isTrue();
        assertThat(api.get("/api/jobs/" + queued + "/metrics").json().get("items").size()).isZero();
        assertThat(allMetrics(running, 5000)).hasSize((int) metricsAtCancel);

        Api.Response noCheckpoint = api.post("/api/jobs/" + queued + "/predictions", "{\"instances\": [0.5]}");
        assertThat(noCheckpoint.status()).isEqualTo(409);
        assertThat(noCheckpoint.contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void longPollAnswersWithTheJobAsItStandsWhenTimeIsUp() {
        String id = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":100000}}");
        long start = System.nanoTime();
        JsonNode view = api.await(id, 1);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(view.get("status").asString()).isIn("QUEUED", "RUNNING");
        assertThat(millis).isBetween(900L, 10_000L);
        assertThat(api.post("/api/jobs/" + id + "/cancel", null).json().get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void tasksListTheirDefaultsAndRanges() {
        JsonNode tasks = api.get("/api/tasks").json();
        JsonNode sine = null;
        for (JsonNode t : tasks) {
            if (t.get("name").asString().equals("sine-regression")) {
                sine = t;
            }
        }
        assertThat(sine).isNotNull();
        JsonNode epochs = null;
        for (JsonNode p : sine.get("hyperparameters")) {
            if (p.get("name").asString().equals("epochs")) {
                epochs = p;
            }
        }
        assertThat(epochs.get("defaultValue").asInt()).isEqualTo(500);
        assertThat(epochs.get("min").asInt()).isEqualTo(1);
        assertThat(epochs.get("max").asInt()).isEqualTo(100_000);
    }

    @Test
    void unknownJobIsNotFoundEverywhere() {
        String missing = UUID.randomUUID().toString();
        for (Api.Response r : List.of(
                api.get("/api/jobs/" + missing),
                api.get("/api/jobs/" + missing + "/metrics"),
                api.get("/api/jobs/" + missing + "/checkpoints"),
                api.get("/api/jobs/" + missing + "/checkpoints/1"),
                api.get("/api/jobs/" + missing + "/model"),
                api.post("/api/jobs/" + missing + "/cancel", null),
                api.post("/api/jobs/" + missing + "/predictions", "{\"instances\": [0.5]}"))) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.contentType()).isEqualTo("application/problem+json");
            assertThat(r.json().get("detail").asString()).contains(missing);
        }
    }

    private List<JsonNode> allMetrics(String id, int pageSize) {
        List<JsonNode> all = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = api.get("/api/jobs/" + id + "/metrics?limit=" + pageSize + "&afterStep=" + after).json();
            page.get("items").forEach(all::add);
            if (page.get("nextAfterStep").isNull()) {
                return all;
            }
            after = page.get("nextAfterStep").asLong();
        }
    }
}
