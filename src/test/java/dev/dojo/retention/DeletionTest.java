package dev.dojo.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.support.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * DELETE /api/jobs/{id} over real HTTP on the embedded database with a worker: an ended job goes
 * with every row it left in any table, a live one is a 409; keepCheckpoints keeps the newest N; and
 * the checkpoint bytes the database holds show in Prometheus.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/deletion-${random.uuid}", "dojo.node-id=deletion"})
class DeletionTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(port);
    }

    private String trained(String extra) {
        String id = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":30,\"checkpointEvery\":5}" + extra + "}");
        assertThat(api.await(id, 120).get("status").asString()).isEqualTo("SUCCEEDED");
        return id;
    }

    /** Every row of every table (the migration history aside) that holds the id in a text column. */
    private List<String> rowsNaming(String id) {
        List<String> found = new ArrayList<>();
        List<Map<String, Object>> columns = jdbc.queryForList("""
                SELECT TABLE_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS
                WHERE TABLE_SCHEMA = 'PUBLIC' AND DATA_TYPE IN ('CHARACTER VARYING', 'CHARACTER LARGE OBJECT', 'CHARACTER')""");
        assertThat(columns).as("the scan sees the tables").hasSizeGreaterThan(10);
        for (Map<String, Object> c : columns) {
            String table = (String) c.get("TABLE_NAME");
            String column = (String) c.get("COLUMN_NAME");
            Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM \"" + table + "\" WHERE CAST(\"" + column + "\" AS VARCHAR) LIKE ?",
                    Integer.class, "%" + id + "%");
            if (n > 0) {
                found.add(table + "." + column + ": " + n);
            }
        }
        return found;
    }

    @Test
    void deletingAnEndedJobLeavesNothingOfItInAnyTable() throws Exception {
        String body = "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":30,\"checkpointEvery\":5},\"labels\":{\"branch\":\"main\"}}";
        HttpResponse<String> first = post(body, "delete-me");
        assertThat(first.statusCode()).isEqualTo(202);
        String id = Api.parse(first.body()).get("id").asString();
        assertThat(api.await(id, 120).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(rowsNaming(id)).as("the job left rows in these tables")
                .anyMatch(r -> r.startsWith("JOB_METRIC.")).anyMatch(r -> r.startsWith("JOB_CHECKPOINT."))
                .anyMatch(r -> r.startsWith("JOB_LOG.")).anyMatch(r -> r.startsWith("JOB_ATTEMPT."))
                .anyMatch(r -> r.startsWith("JOB_LABEL.")).anyMatch(r -> r.startsWith("IDEMPOTENCY_KEY."))
                .anyMatch(r -> r.startsWith("TRAINING_JOB."));

        // Served once, so the node holds its spec and model in memory.
        assertThat(api.post("/api/jobs/" + id + "/predictions", "{\"instances\": [0.5]}").status()).isEqualTo(200);

        Api.Response deleted = api.request("DELETE", "/api/jobs/" + id, null);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
        assertThat(rowsNaming(id)).isEmpty();
        assertThat(api.get("/api/jobs/" + id).status()).isEqualTo(404);
        assertThat(api.post("/api/jobs/" + id + "/predictions", "{\"instances\": [0.5]}").status())
                .as("a prediction from the deleted job's model").isEqualTo(404);
        assertThat(api.get("/api/jobs/" + id + "/checkpoints").status()).isEqualTo(404);
        assertThat(api.request("DELETE", "/api/jobs/" + id, null).status()).isEqualTo(404);
        // Its Idempotency-Key went with it: the same key now makes a new job.
        HttpResponse<String> again = post(body, "delete-me");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(Api.parse(again.body()).get("id").asString()).isNotEqualTo(id);
    }

    @Test
    void aLiveJobIsA409UntilItIsCancelled() {
        // No worker offers a GPU, so this job stays queued.
        String id = api.submit("{\"task\":\"sine-regression\",\"gpus\":1}");
        Api.Response refused = api.request("DELETE", "/api/jobs/" + id, null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("title").asString()).isEqualTo("Job is live");
        assertThat(refused.json().get("jobStatus").asString()).isEqualTo("QUEUED");
        assertThat(api.get("/api/jobs/" + id).status()).isEqualTo(200);

        assertThat(api.post("/api/jobs/" + id + "/cancel", null).status()).isEqualTo(200);
        assertThat(api.request("DELETE", "/api/jobs/" + id, null).status()).isEqualTo(204);
        assertThat(rowsNaming(id)).isEmpty();
    }

    private List<Integer> checkpointNumbers(String id) {
        List<Integer> numbers = new ArrayList<>();
        api.get("/api/jobs/" + id + "/checkpoints").json().forEach(c -> numbers.add(c.get("number").asInt()));
        return numbers;
    }

    @Test
    void keepCheckpointsKeepsOnlyTheNewestAndTheFinalOne() {
        assertThat(checkpointNumbers(trained(""))).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(checkpointNumbers(trained(",\"keepCheckpoints\":2"))).containsExactly(5, 6);
        String onlyFinal = trained(",\"keepCheckpoints\":0");
        assertThat(checkpointNumbers(onlyFinal)).containsExactly(6);
        JsonNode view = api.get("/api/jobs/" + onlyFinal).json();
        assertThat(view.get("spec").get("keepCheckpoints").asInt()).isZero();
        // The final checkpoint serves predictions.
        Api.Response predicted = api.post("/api/jobs/" + onlyFinal + "/predictions", "{\"instances\":[0.5]}");
        assertThat(predicted.status()).as(predicted.text()).isEqualTo(200);
        assertThat(predicted.json().get("checkpoint").asInt()).isEqualTo(6);
        Api.Response bad = api.post("/api/jobs", "{\"task\":\"sine-regression\",\"keepCheckpoints\":-1}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("field").asString()).isEqualTo("keepCheckpoints");
    }

    @Test
    void checkpointBytesPerTaskAndTenantShowInPrometheus() {
        trained("");
        Pattern line = Pattern.compile("(?m)^dojo_checkpoint_bytes\\{[^}]*task=\"sine-regression\"[^}]*tenant=\"local\"[^}]*} (\\S+)$");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Matcher m = line.matcher(api.get("/actuator/prometheus").text());
            assertThat(m.find()).isTrue();
            assertThat((long) Double.parseDouble(m.group(1))).isPositive().isEqualTo(heldByCheckpoints());
        });
    }

    /** The checkpoint bytes of every job the API lists, added up from each checkpoint's size. */
    private long heldByCheckpoints() {
        long held = 0;
        for (JsonNode job : api.get("/api/jobs?size=200").json().get("items")) {
            for (JsonNode c : api.get("/api/jobs/" + job.get("id").asString() + "/checkpoints").json()) {
                held += c.get("sizeBytes").asLong();
            }
        }
        return held;
    }

    private HttpResponse<String> post(String body, String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jobs"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
