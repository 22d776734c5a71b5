package dev.dojo.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Quality gates through the service: real sine jobs trained by the embedded worker, one whose gates
 * hold and one that misses, and specs refused at submit.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "dojo.data-dir=target/test-data/gates-${random.uuid}")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatesTest {

    private static final String SINE = "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":60,\"seed\":3},";

    @LocalServerPort
    int port;

    Api api;

    @BeforeAll
    void client() {
        api = new Api(port);
    }

    /** The final train_loss as the metrics endpoint has it: the gates must judge exactly this value. */
    private double finalLoss(String job) {
        JsonNode items = api.get("/api/jobs/" + job + "/metrics?name=train_loss&limit=10000").json().get("items");
        return items.get(items.size() - 1).get("value").asDouble();
    }

    @Test
    void aJobWhoseGatesHoldSucceedsAndShowsEachResult() {
        Api.Response submitted = api.post("/api/jobs", SINE + "\"gates\":[{\"metric\":\"train_loss\",\"max\":10},"
                + "{\"metric\":\"train_loss\",\"min\":0,\"max\":5}]}");
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        assertThat(submitted.json().at("/spec/gates/0/metric").asString()).isEqualTo("train_loss");
        assertThat(submitted.json().at("/gates/0/result").asString()).isIn("PENDING", "PASSED");

        String job = submitted.json().get("id").asString();
        JsonNode done = api.await(job, 120);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("failureReason").isNull()).isTrue();
        double loss = finalLoss(job);
        assertThat(done.get("gates").size()).isEqualTo(2);
        for (JsonNode gate : done.get("gates")) {
            assertThat(gate.get("result").asString()).isEqualTo("PASSED");
            assertThat(gate.get("value").asDouble()).isEqualTo(loss);
        }
        assertThat(done.at("/gates/1/min").asDouble()).isZero();
        assertThat(done.at("/gates/1/max").asDouble()).isEqualTo(5.0);
    }

    @Test
    void aJobThatMissesAGateFailsOnceWithGateAndItsCheckpointsStayUsable() {
        String job = api.submit(SINE + "\"gates\":[{\"metric\":\"train_loss\",\"max\":1e-9},{\"metric\":\"train_loss\",\"max\":10}]}");
        JsonNode done = api.await(job, 120);

        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("FAILED");
        String reason = done.get("failureReason").asString();
        double loss = finalLoss(job);
        assertThat(reason).startsWith("GATE").contains("train_loss").contains("max 1.0E-9")
                .contains(String.format(java.util.Locale.ROOT, "%.6g", loss));
        assertThat(done.at("/gates/0/result").asString()).isEqualTo("MISSED");
        assertThat(done.at("/gates/0/value").asDouble()).isEqualTo(loss);
        assertThat(done.at("/gates/1/result").asString()).isEqualTo("PASSED");
        // Not retried: one attempt, which ended FAILED, and the job spent no more.
        assertThat(done.get("attempt").asInt()).isEqualTo(1);
        assertThat(done.get("attempts").size()).isEqualTo(1);
        assertThat(done.at("/attempts/0/outcome").asString()).isEqualTo("FAILED");
        assertThat(done.get("progress").get("epoch").asInt()).isEqualTo(60);

        assertThat(api.get("/api/jobs/" + job + "/checkpoints").json().size()).isPositive();
        Api.Response predicted = api.post("/api/jobs/" + job + "/predictions", "{\"instances\": [0.5]}");
        assertThat(predicted.status()).as(predicted.text()).isEqualTo(200);
        assertThat(predicted.json().at("/predictions/0").isNumber()).isTrue();
    }

    static Stream<Arguments> refused() {
        String many = "{\"metric\":\"train_loss\",\"max\":1},".repeat(17);
        return Stream.of(
                Arguments.of("a metric the task never records", SINE + "\"gates\":[{\"metric\":\"test_accuracy\",\"min\":0.9}]}",
                        "gates[0].metric"),
                Arguments.of("no metric", SINE + "\"gates\":[{\"max\":1}]}", "gates[0].metric"),
                Arguments.of("neither min nor max", SINE + "\"gates\":[{\"metric\":\"train_loss\"}]}", "gates[0]"),
                Arguments.of("min above max", SINE + "\"gates\":[{\"metric\":\"train_loss\",\"min\":2,\"max\":1}]}", "gates[0].min"),
                Arguments.of("NaN bound", SINE + "\"gates\":[{\"metric\":\"train_loss\",\"max\":NaN}]}", "gates[0].max"),
                Arguments.of("a null gate", SINE + "\"gates\":[null]}", "gates[0]"),
                Arguments.of("an unknown gate field", SINE + "\"gates\":[{\"metric\":\"train_loss\",\"maximum\":1}]}", "gates[0].maximum"),
                Arguments.of("too many gates", SINE + "\"gates\":[" + many.substring(0, many.length() - 1) + "]}", "gates"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aBadGateIsRefusedAtSubmitNamingIt(String description, String body, String field) {
        long before = api.get("/api/jobs").json().get("totalItems").asLong();
        Api.Response r = api.post("/api/jobs", body);

        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        assertThat(r.json().get("errors").findValuesAsString("field")).as(r.text()).contains(field);
        assertThat(api.get("/api/jobs").json().get("totalItems").asLong()).isEqualTo(before);
    }

    @Test
    void theTaskListNamesTheMetricsAGateMayCheck() {
        JsonNode tasks = api.get("/api/tasks").json();
        for (JsonNode task : tasks) {
            if (task.get("name").asString().equals("sine-regression")) {
                assertThat(task.get("metrics").toString()).isEqualTo("[\"train_loss\",\"fit_mse\"]");
            }
            if (task.get("name").asString().equals("mnist")) {
                assertThat(task.get("metrics").toString()).contains("test_accuracy", "train_loss");
            }
        }
    }
}
