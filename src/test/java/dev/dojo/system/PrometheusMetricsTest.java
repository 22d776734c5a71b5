package dev.dojo.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.support.Api;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The dojo_* meters at /actuator/prometheus move when a real job trains and a real prediction is served. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/observe-${random.uuid}", "dojo.node-id=observe-test"})
class PrometheusMetricsTest {

    @LocalServerPort
    int port;

    @Test
    void aShortSineJobAndAPredictionMoveEveryDojoMeter() {
        Api api = new Api(port);
        String id = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":20,\"hiddenUnits\":[16]}}");
        assertThat(api.await(id, 120).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(api.post("/api/jobs/" + id + "/predictions", "{\"instances\":[0.5]}").status()).isEqualTo(200);

        // The queue and live-worker gauges are cached for 5 s, so the SUCCEEDED job may take a moment to show.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String text = scrape(api);
            assertThat(value(text, "dojo_queue_jobs", "status=\"SUCCEEDED\"", "task=\"sine-regression\"")).isGreaterThanOrEqualTo(1);
            assertThat(value(text, "dojo_workers_live")).isGreaterThanOrEqualTo(1);
        });
        String text = scrape(api);
        assertThat(value(text, "dojo_jobs_duration_seconds_count", "outcome=\"succeeded\"", "task=\"sine-regression\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(text, "dojo_jobs_duration_seconds_sum", "outcome=\"succeeded\"", "task=\"sine-regression\""))
                .isGreaterThan(0);
        assertThat(value(text, "dojo_training_samples_per_second_count", "task=\"sine-regression\"")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "dojo_training_samples_per_second_max", "task=\"sine-regression\"")).isGreaterThan(0);
        assertThat(value(text, "dojo_checkpoint_size_bytes_count", "task=\"sine-regression\"")).isGreaterThanOrEqualTo(10);
        assertThat(value(text, "dojo_checkpoint_size_bytes_max", "task=\"sine-regression\"")).isGreaterThan(100);
        assertThat(value(text, "dojo_prediction_latency_seconds_count", "outcome=\"ok\"", "task=\"sine-regression\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(text).contains("dojo_prediction_latency_seconds_bucket{");
        assertThat(text).contains("dojo_worker_fenced_writes_refused_total");
    }

    private static String scrape(Api api) {
        Api.Response r = api.get("/actuator/prometheus");
        assertThat(r.status()).isEqualTo(200);
        return r.text();
    }

    /** The value of the first sample of {@code name} whose labels contain all of {@code labels}. */
    private static double value(String text, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(text);
        while (m.find()) {
            String found = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String l : labels) {
                all &= found.contains(l);
            }
            if (all) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no " + name + " with " + String.join(",", labels) + " in:\n" + text.lines()
                .filter(l -> l.startsWith("dojo_")).reduce("", (a, b) -> a + b + "\n"));
    }
}
