package dev.dojo.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
 * Warm starts through the service: a sine job trained by the embedded worker is the source; others
 * start from its weights, with layers frozen or not, and mismatched networks are refused at submit.
 * Weights are compared bit for bit through the export.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "dojo.data-dir=target/test-data/warm-start-${random.uuid}")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WarmStartTest {

    @LocalServerPort
    int port;

    Api api;
    String source;

    @BeforeAll
    void trainTheSource() {
        api = new Api(port);
        source = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":30,\"hiddenUnits\":[16,8],\"seed\":1}}");
        assertThat(api.await(source, 120).get("status").asString()).isEqualTo("SUCCEEDED");
    }

    private JsonNode trained(String spec) {
        Api.Response r = api.post("/api/jobs", spec);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        JsonNode done = api.await(r.json().get("id").asString(), 120);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        return done;
    }

    /** One tensor's raw bytes from the job's exported checkpoint (latest, or n). */
    private byte[] tensor(String job, Integer checkpoint, String name) {
        byte[] file = api.get("/api/jobs/" + job + "/export" + (checkpoint == null ? "" : "?checkpoint=" + checkpoint)).raw().body();
        int length = (int) ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode offsets = Api.parse(new String(file, 8, length, StandardCharsets.UTF_8)).get(name).get("data_offsets");
        return Arrays.copyOfRange(file, 8 + length + offsets.get(0).asInt(), 8 + length + offsets.get(1).asInt());
    }

    private static final String[] LAYERS = {"layers.0", "layers.2", "layers.4"};

    @Test
    void everyLayerFrozenLeavesTheSourceWeightsBitIdentical() {
        JsonNode done = trained("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":10,\"hiddenUnits\":[16,8],\"seed\":9},"
                + "\"initFrom\":{\"job\":\"" + source + "\"},\"freeze\":[\"layers.0\",\"layers.2\",\"layers.4\"]}");
        int latest = api.get("/api/jobs/" + source + "/checkpoints").json().size();
        assertThat(done.at("/spec/initFrom/job").asString()).isEqualTo(source);
        assertThat(done.at("/spec/initFrom/checkpoint").asInt()).as("the latest, resolved at submit").isEqualTo(latest);
        for (String layer : LAYERS) {
            for (String kind : new String[] {".weight", ".bias"}) {
                assertThat(tensor(done.get("id").asString(), null, layer + kind)).as(layer + kind)
                        .isEqualTo(tensor(source, null, layer + kind));
            }
        }
    }

    @Test
    void aFrozenLayerStaysFixedWhileTheOthersTrainFromTheSourceWeights() {
        JsonNode done = trained("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":10,\"hiddenUnits\":[16,8],"
                + "\"checkpointEvery\":10},\"initFrom\":{\"job\":\"" + source + "\",\"checkpoint\":1},\"freeze\":[\"layers.2\"]}");
        String job = done.get("id").asString();
        assertThat(done.at("/spec/initFrom/checkpoint").asInt()).isEqualTo(1);
        assertThat(tensor(job, null, "layers.2.weight")).isEqualTo(tensor(source, 1, "layers.2.weight"));
        assertThat(tensor(job, null, "layers.2.bias")).isEqualTo(tensor(source, 1, "layers.2.bias"));
        assertThat(tensor(job, null, "layers.0.weight")).isNotEqualTo(tensor(source, 1, "layers.0.weight"));
        assertThat(tensor(job, null, "layers.4.weight")).isNotEqualTo(tensor(source, 1, "layers.4.weight"));
    }

    @Test
    void aWarmStartBeginsWhereTheSourceEndedNotFromRandomWeights() {
        String spec = "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":1,\"hiddenUnits\":[16,8],\"seed\":1}";
        JsonNode warm = trained(spec + ",\"initFrom\":{\"job\":\"" + source + "\"}}");
        JsonNode cold = trained(spec + "}");
        JsonNode sourceLoss = api.get("/api/jobs/" + source + "/metrics?name=train_loss&limit=1000").json().get("items");
        double sourceFinal = sourceLoss.get(sourceLoss.size() - 1).get("value").asDouble();
        double warmFirst = warm.at("/latestMetrics/train_loss/value").asDouble();
        double coldFirst = cold.at("/latestMetrics/train_loss/value").asDouble();
        // Same seed and data: the cold run's first loss is the source's first; the warm run's is near the source's last.
        assertThat(coldFirst).isEqualTo(sourceLoss.get(0).get("value").asDouble());
        assertThat(warmFirst).isLessThan(coldFirst).isCloseTo(sourceFinal, org.assertj.core.data.Offset.offset(sourceFinal * 0.2));
    }

    @Test
    void resettingEveryLayerTrainsExactlyAsFromRandomWeightsAtTheSameSeed() {
        String spec = "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":3,\"hiddenUnits\":[16,8],\"seed\":5}";
        JsonNode reset = trained(spec + ",\"initFrom\":{\"job\":\"" + source + "\"},\"reset\":[\"layers.0\",\"layers.2\",\"layers.4\"]}");
        JsonNode cold = trained(spec + "}");
        assertThat(reset.at("/spec/reset").toString()).isEqualTo("[\"layers.0\",\"layers.2\",\"layers.4\"]");
        for (String layer : LAYERS) {
            for (String kind : new String[] {".weight", ".bias"}) {
                assertThat(tensor(reset.get("id").asString(), null, layer + kind)).as(layer + kind)
                        .isEqualTo(tensor(cold.get("id").asString(), null, layer + kind))
                        .isNotEqualTo(tensor(source, null, layer + kind));
            }
        }
    }

    @Test
    void aResetHeadOnFrozenSourceLayersTrainsWhileTheFrozenOnesKeepTheSourceWeights() {
        String spec = "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":1,\"hiddenUnits\":[16,8],\"seed\":1},"
                + "\"initFrom\":{\"job\":\"" + source + "\"},\"freeze\":[\"layers.0\",\"layers.2\"]";
        JsonNode fresh = trained(spec + ",\"reset\":[\"layers.4\"]}");
        JsonNode kept = trained(spec + "}");
        String job = fresh.get("id").asString();
        for (String frozen : new String[] {"layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"}) {
            assertThat(tensor(job, null, frozen)).as(frozen).isEqualTo(tensor(source, null, frozen));
        }
        // Both heads took one step from where they started: the kept one from the source's weights, the reset one from
        // random weights, so they differ, and the reset run's first loss is not the warm start's.
        assertThat(tensor(job, null, "layers.4.weight")).isNotEqualTo(tensor(kept.get("id").asString(), null, "layers.4.weight"));
        assertThat(fresh.at("/latestMetrics/train_loss/value").asDouble())
                .isNotEqualTo(kept.at("/latestMetrics/train_loss/value").asDouble());
    }

    @Test
    void aMismatchedNetworkIsA400NamingTheFirstParameterAndBothShapes() {
        Api.Response r = api.post("/api/jobs", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"hiddenUnits\":[16,4]},"
                + "\"initFrom\":{\"job\":\"" + source + "\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        JsonNode error = r.json().get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("initFrom");
        assertThat(error.get("message").asString()).contains("layers.2.weight").contains("[4, 16]").contains("[8, 16]");

        Api.Response deeper = api.post("/api/jobs", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"hiddenUnits\":[16,8,4]},"
                + "\"initFrom\":{\"job\":\"" + source + "\"}}");
        assertThat(deeper.status()).isEqualTo(400);
        assertThat(deeper.json().at("/errors/0/message").asString()).contains("layers.4.weight").contains("[4, 8]").contains("[1, 8]");
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("an unknown job", "{\"job\":\"00000000-0000-0000-0000-000000000000\"}", null, "initFrom.job"),
                Arguments.of("no job", "{\"checkpoint\":1}", null, "initFrom.job"),
                Arguments.of("a checkpoint it does not have", "{\"job\":\"SOURCE\",\"checkpoint\":99}", null, "initFrom.checkpoint"),
                Arguments.of("checkpoint 0", "{\"job\":\"SOURCE\",\"checkpoint\":0}", null, "initFrom.checkpoint"),
                Arguments.of("a layer the network lacks", "{\"job\":\"SOURCE\"}", "\"freeze\":[\"conv1\"]", "freeze[0]"),
                Arguments.of("a parameter, not a layer", "{\"job\":\"SOURCE\"}", "\"freeze\":[\"layers.0.weight\"]", "freeze[0]"),
                Arguments.of("freeze without initFrom", null, "\"freeze\":[\"layers.0\"]", "freeze"),
                Arguments.of("reset without initFrom", null, "\"reset\":[\"layers.4\"]", "reset"),
                Arguments.of("reset of a layer the network lacks", "{\"job\":\"SOURCE\"}", "\"reset\":[\"layers.4\",\"fc2\"]", "reset[1]"),
                Arguments.of("a layer both reset and frozen", "{\"job\":\"SOURCE\"}",
                        "\"freeze\":[\"layers.0\",\"layers.4\"],\"reset\":[\"layers.4\"]", "reset[0]"),
                Arguments.of("more than 16 layers reset", "{\"job\":\"SOURCE\"}",
                        "\"reset\":[" + String.join(",", java.util.Collections.nCopies(17, "\"layers.0\"")) + "]", "reset"),
                Arguments.of("an unknown initFrom field", "{\"job\":\"SOURCE\",\"step\":3}", null, "initFrom.step"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aBadWarmStartIsRefusedNamingTheField(String description, String initFrom, String layers, String field) {
        String body = "{\"task\":\"sine-regression\",\"hyperparameters\":{\"hiddenUnits\":[16,8]}"
                + (initFrom == null ? "" : ",\"initFrom\":" + initFrom.replace("SOURCE", source))
                + (layers == null ? "" : "," + layers) + "}";
        Api.Response r = api.post("/api/jobs", body);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().get("errors").findValuesAsString("field")).as(r.text()).contains(field);
    }

    @Test
    void theModelSummaryShowsTheNamesFreezeTakes() {
        JsonNode model = api.get("/api/jobs/" + source + "/model").json();
        assertThat(model.get("parameters").findValuesAsString("pytorchName"))
                .containsExactly("layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "layers.4.weight", "layers.4.bias");
    }
}
