package dev.dojo.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Every kind of bad input gets a 400 problem that names the field, and nothing is ever stored. The
 * node runs as api only, so a job that slipped through would stay visible in the list.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/bad-input-${random.uuid}", "dojo.roles=api"})
class BadInputTest {

    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(port);
    }

    @AfterEach
    void nothingWasStored() {
        assertThat(api.get("/api/jobs").json().get("totalItems").asLong()).isZero();
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of("unknown task", "{\"task\":\"chess\"}", "task"),
                Arguments.of("missing task", "{\"name\":\"x\"}", "task"),
                Arguments.of("null task", "{\"task\":null}", "task"),
                Arguments.of("task of the wrong type", "{\"task\":5}", "task"),
                Arguments.of("epochs as text", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":\"ten\"}}", "hyperparameters.epochs"),
                Arguments.of("epochs as a quoted number", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":\"10\"}}", "hyperparameters.epochs"),
                Arguments.of("epochs as a fraction", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":1.5}}", "hyperparameters.epochs"),
                Arguments.of("epochs too large for an int", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":99999999999}}", "hyperparameters.epochs"),
                Arguments.of("unknown top-level field", "{\"task\":\"sine-regression\",\"epochz\":3}", "epochz"),
                Arguments.of("unknown hyperparameter", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"lr\":0.1}}", "hyperparameters.lr"),
                Arguments.of("unknown data field", "{\"task\":\"sine-regression\",\"data\":{\"points\":3}}", "data.points"),
                Arguments.of("negative epochs", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":-5}}", "hyperparameters.epochs"),
                Arguments.of("absurd epochs", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":1000000000}}", "hyperparameters.epochs"),
                Arguments.of("absurd hidden units", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"hiddenUnits\":[10000000]}}", "hyperparameters.hiddenUnits[0]"),
                Arguments.of("too many layers", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"hiddenUnits\":[4,4,4,4,4,4,4,4,4]}}", "hyperparameters.hiddenUnits"),
                Arguments.of("empty hidden units", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"hiddenUnits\":[]}}", "hyperparameters.hiddenUnits"),
                Arguments.of("hidden units not ints", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"hiddenUnits\":[\"a\"]}}", "hyperparameters.hiddenUnits[0]"),
                Arguments.of("NaN learning rate", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"learningRate\":NaN}}", "hyperparameters.learningRate"),
                Arguments.of("infinite learning rate", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"learningRate\":Infinity}}", "hyperparameters.learningRate"),
                Arguments.of("overflowing learning rate", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"learningRate\":1e999}}", "hyperparameters.learningRate"),
                Arguments.of("negative learning rate", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"learningRate\":-0.1}}", "hyperparameters.learningRate"),
                Arguments.of("unknown optimizer", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"optimizer\":\"rmsprop\"}}", "hyperparameters.optimizer"),
                Arguments.of("momentum with adam", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"momentum\":0.9}}", "hyperparameters.momentum"),
                Arguments.of("unknown loss", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"loss\":\"huber\"}}", "hyperparameters.loss"),
                Arguments.of("unknown activation", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"activation\":\"gelu\"}}", "hyperparameters.activation"),
                Arguments.of("negative seed", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"seed\":-1}}", "hyperparameters.seed"),
                Arguments.of("field of another task", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"batchSize\":32}}", "hyperparameters.batchSize"),
                Arguments.of("unknown recipe", "{\"task\":\"sine-regression\",\"recipe\":\"fast\"}", "recipe"),
                Arguments.of("recipe not a string", "{\"task\":\"sine-regression\",\"recipe\":[1]}", "recipe"),
                Arguments.of("unknown schedule", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"lrSchedule\":\"step\"}}", "hyperparameters.lrSchedule"),
                Arguments.of("warm-up without a schedule", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"warmupFraction\":0.1}}", "hyperparameters.warmupFraction"),
                Arguments.of("warm-up over 1", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"lrSchedule\":\"cosine\",\"warmupFraction\":1.5}}", "hyperparameters.warmupFraction"),
                Arguments.of("beta1 of 1", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"beta1\":1}}", "hyperparameters.beta1"),
                Arguments.of("negative beta2", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"beta2\":-0.5}}", "hyperparameters.beta2"),
                Arguments.of("betas with sgd", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"optimizer\":\"sgd\",\"beta1\":0.9}}", "hyperparameters.beta1"),
                Arguments.of("label smoothing for a regression", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"labelSmoothing\":0.1}}", "hyperparameters.labelSmoothing"),
                Arguments.of("negative samples", "{\"task\":\"sine-regression\",\"data\":{\"samples\":-1}}", "data.samples"),
                Arguments.of("absurd samples", "{\"task\":\"sine-regression\",\"data\":{\"samples\":1000000000}}", "data.samples"),
                Arguments.of("NaN noise", "{\"task\":\"sine-regression\",\"data\":{\"noise\":NaN}}", "data.noise"),
                Arguments.of("priority out of range", "{\"task\":\"sine-regression\",\"priority\":5000}", "priority"),
                Arguments.of("zero runtime", "{\"task\":\"sine-regression\",\"maxRuntimeSeconds\":0}", "maxRuntimeSeconds"),
                Arguments.of("blank name", "{\"task\":\"sine-regression\",\"name\":\"  \"}", "name"),
                Arguments.of("hyperparameters not an object", "{\"task\":\"sine-regression\",\"hyperparameters\":[1]}", "hyperparameters"),
                Arguments.of("malformed JSON", "{\"task\": \"sine-regression\"", "body"),
                Arguments.of("not JSON at all", "task=sine", "body"),
                Arguments.of("an array body", "[{\"task\":\"sine-regression\"}]", "body"),
                Arguments.of("empty body", null, "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void badSpecIsA400NamingTheField(String description, String body, String field) {
        Api.Response r = api.post("/api/jobs", body);

        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(400);
        assertThat(r.json().get("detail").asString()).isNotBlank();
        assertThat(r.json().get("errors").findValuesAsString("field")).as(r.text()).contains(field);
        for (JsonNode e : r.json().get("errors")) {
            assertThat(e.get("message").asString()).isNotBlank();
        }
    }

    @Test
    void severalBadFieldsAreAllNamedAtOnce() {
        Api.Response r = api.post("/api/jobs",
                "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":0,\"optimizer\":\"x\"},\"data\":{\"samples\":1}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("hyperparameters.epochs", "hyperparameters.optimizer", "data.samples");
    }

    @Test
    void wrongContentTypeIsRefusedAsAProblem() {
        Api.Response r = api.post("/api/jobs", "text/plain", "{\"task\":\"sine-regression\"}".getBytes());
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("/api/jobs?status=DONE", "status"),
                Arguments.of("/api/jobs?size=0", "size"),
                Arguments.of("/api/jobs?size=100000", "size"),
                Arguments.of("/api/jobs?page=-1", "page"),
                Arguments.of("/api/jobs?page=abc", "page"),
                Arguments.of("/api/jobs/00000000-0000-0000-0000-000000000000?waitSeconds=601", "waitSeconds"),
                Arguments.of("/api/jobs/00000000-0000-0000-0000-000000000000?waitSeconds=-1", "waitSeconds"),
                Arguments.of("/api/jobs/00000000-0000-0000-0000-000000000000/metrics?limit=0", "limit"),
                Arguments.of("/api/jobs/00000000-0000-0000-0000-000000000000/metrics?afterStep=x", "afterStep"),
                Arguments.of("/api/jobs/00000000-0000-0000-0000-000000000000/metrics?name=Train%20Loss", "name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badQueries")
    void badQueryParameterIsA400NamingIt(String path, String field) {
        Api.Response r = api.get(path);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        assertThat(r.json().get("errors").findValuesAsString("field")).as(r.text()).contains(field);
    }

    @Test
    void unknownPathIsA404Problem() {
        Api.Response r = api.get("/api/nothing-here");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
    }
}
