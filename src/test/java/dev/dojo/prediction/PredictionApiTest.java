package dev.dojo.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.support.Api;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Predictions over real HTTP from a job the embedded worker really trained. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/prediction-${random.uuid}", "dojo.prediction.max-instances=100"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictionApiTest {

    @LocalServerPort
    int port;

    Api api;
    String job;

    @BeforeAll
    void trainOnce() {
        api = new Api(port);
        job = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":200}}");
        assertThat(api.await(job, 120).get("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void oneForwardPassServesManyInstancesInOrder() {
        StringBuilder body = new StringBuilder("{\"instances\": [");
        for (int i = 0; i < 100; i++) {
            body.append(i == 0 ? "" : ",").append(-0.99 + i * 0.02);
        }
        Api.Response r = api.post("/api/jobs/" + job + "/predictions", body.append("]}").toString());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("predictions").size()).isEqualTo(100);
        double first = r.json().get("predictions").get(0).asDouble();
        double one = api.post("/api/jobs/" + job + "/predictions", "{\"instances\": [[-0.99]]}").json().get("predictions").get(0).asDouble();
        assertThat(one).isCloseTo(first, org.assertj.core.data.Offset.offset(1e-6));
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("text instance", "{\"instances\": [0.5, \"x\"]}", "instances[1]"),
                Arguments.of("NaN instance", "{\"instances\": [NaN]}", "instances[0]"),
                Arguments.of("infinite instance", "{\"instances\": [0.1, 0.2, Infinity]}", "instances[2]"),
                Arguments.of("nested too deep", "{\"instances\": [[0.5, 0.6]]}", "instances[0]"),
                Arguments.of("null instance", "{\"instances\": [null]}", "instances[0]"),
                Arguments.of("empty instances", "{\"instances\": []}", "instances"),
                Arguments.of("no instances field", "{}", "instances"),
                Arguments.of("unknown field", "{\"inputs\": [0.5]}", "inputs"),
                Arguments.of("too many instances", "{\"instances\": [" + "0.1,".repeat(100) + "0.1]}", "instances"),
                Arguments.of("malformed JSON", "{\"instances\": [0.5", "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInstancesAreA400NamingTheIndex(String description, String body, String field) {
        Api.Response r = api.post("/api/jobs/" + job + "/predictions", body);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        assertThat(r.json().get("errors").findValuesAsString("field")).as(r.text()).contains(field);
    }

    /** Ended jobs are served from memory; a running job must still move on to each newer checkpoint. */
    @Test
    void aRunningJobIsServedFromItsNewestCheckpointAndAnEndedOneFromItsLast() {
        String running = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":100000,"
                + "\"hiddenUnits\":[32],\"checkpointEvery\":500}}");
        await().atMost(Duration.ofMinutes(2)).until(() -> api.get("/api/jobs/" + running + "/checkpoints").json().size() >= 1);
        int first = api.post("/api/jobs/" + running + "/predictions", "{\"instances\": [0.5]}").json().get("checkpoint").asInt();
        await().atMost(Duration.ofMinutes(2)).until(() -> api.get("/api/jobs/" + running + "/checkpoints").json().size() > first);
        int later = api.post("/api/jobs/" + running + "/predictions", "{\"instances\": [0.5]}").json().get("checkpoint").asInt();
        assertThat(later).isGreaterThan(first);

        assertThat(api.post("/api/jobs/" + running + "/cancel", "").status()).isIn(200, 202);
        assertThat(api.await(running, 60).get("status").asString()).isEqualTo("CANCELLED");
        int last = api.get("/api/jobs/" + running + "/checkpoints").json().size();
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("/api/jobs/" + running + "/predictions", "{\"instances\": [0.5]}").json().get("checkpoint").asInt())
                    .isEqualTo(last);
        }
    }

    @Test
    void unknownCheckpointIs404AndABadNumberIs400() {
        Api.Response missing = api.post("/api/jobs/" + job + "/predictions?checkpoint=99", "{\"instances\": [0.5]}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).isEqualTo("application/problem+json");
        Api.Response zero = api.post("/api/jobs/" + job + "/predictions?checkpoint=0", "{\"instances\": [0.5]}");
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.json().get("errors").findValuesAsString("field")).contains("checkpoint");
    }
}
