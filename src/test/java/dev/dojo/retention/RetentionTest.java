package dev.dojo.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.support.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The sweep on short settings: dojo.jobs.retention of 3 s deletes ended jobs but spares those
 * labelled keep=true and the live ones, and an Idempotency-Key is forgotten after
 * dojo.jobs.idempotency-ttl of 5 s. The node runs as api only, so a job stays queued until cancelled.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/retention-${random.uuid}", "dojo.roles=api",
                "dojo.jobs.retention=3s", "dojo.jobs.idempotency-ttl=5s"})
class RetentionTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private String ended(Api api, String labels) {
        String id = api.submit("{\"task\":\"sine-regression\",\"labels\":" + labels + "}");
        assertThat(api.post("/api/jobs/" + id + "/cancel", null).status()).isEqualTo(200);
        return id;
    }

    @Test
    void endedJobsOlderThanTheRetentionGoExceptThoseLabelledKeep() {
        Api api = new Api(port);
        String plain = ended(api, "{\"branch\":\"main\"}");
        String kept = ended(api, "{\"keep\":\"true\",\"branch\":\"main\"}");
        String notKept = ended(api, "{\"keep\":\"false\"}");
        String live = api.submit("{\"task\":\"sine-regression\"}");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                api.get("/api/jobs/" + plain).status() == 404 && api.get("/api/jobs/" + notKept).status() == 404);
        // Ended at the same moment as the two deleted, so the same sweep saw it, and spared it.
        assertThat(api.get("/api/jobs/" + kept).json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(api.get("/api/jobs/" + live).json().get("status").asString()).isEqualTo("QUEUED");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM job_label WHERE job_id IN (?, ?)", Integer.class, plain, notKept)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM job_attempt WHERE job_id IN (?, ?)", Integer.class, plain, notKept)).isZero();
    }

    @Test
    void anIdempotencyKeyIsForgottenAfterItsTimeToLive() throws Exception {
        String body = "{\"task\":\"sine-regression\",\"labels\":{\"keep\":\"true\"}}";
        HttpResponse<String> first = post(body, "nightly-1");
        HttpResponse<String> retry = post(body, "nightly-1");
        String id = Api.parse(first.body()).get("id").asString();
        assertThat(Api.parse(retry.body()).get("id").asString()).isEqualTo(id);
        // The sweep purges it once its 5 s are up.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                jdbc.queryForObject("SELECT COUNT(*) FROM idempotency_key WHERE idem_key = 'nightly-1'", Integer.class) == 0);
        HttpResponse<String> later = post(body, "nightly-1");
        assertThat(later.statusCode()).isEqualTo(202);
        assertThat(later.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(Api.parse(later.body()).get("id").asString()).isNotEqualTo(id);
    }

    private HttpResponse<String> post(String body, String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jobs"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
