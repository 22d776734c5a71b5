package dev.dojo.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dojo.dataset.ImageSet;
import dev.dojo.dataset.MnistFiles;
import dev.dojo.dataset.Subset;
import dev.dojo.support.Api;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The export read by real PyTorch: jobs the embedded worker trains are exported over HTTP, and
 * Debian's python3-torch loads each file into the seed lesson's own modules with
 * {@code load_state_dict(strict=True)} (src/test/python/export_roundtrip.py) and must predict what
 * Dojo predicts, within 1e-5.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/export-${random.uuid}",
        "dojo.datasets.mnist-dir=src/test/resources/mnist-subset", "dojo.datasets.verify-checksums=false",
        "dojo.datasets.fashion-mnist-dir=target/test-data/no-fashion-here"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportTest {

    private static final Path SCRIPT = Path.of("src/test/python/export_roundtrip.py");

    @LocalServerPort
    int port;

    Api api;
    Path dir;

    @BeforeAll
    void setUp() throws IOException {
        api = new Api(port);
        dir = Files.createDirectories(Path.of("target/test-data/export-files"));
    }

    private String trained(String spec) {
        String job = api.submit(spec);
        JsonNode done = api.await(job, 600);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        return job;
    }

    @Test
    void theSeedsSineWideNetLoadsAndPredictsAsDojoDoes() throws Exception {
        String job = trained("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":40,\"seed\":5}}");
        JsonNode torch = roundTrip(job, sineInstances(), "WideNet");
        assertThat(torch.get("keys").toString()).isEqualTo("[\"layers.0.weight\",\"layers.0.bias\",\"layers.2.weight\",\"layers.2.bias\"]");
        compareNumbers(job, sineInstances(), torch);
    }

    @Test
    void aTwoHiddenLayerWideNetLoadsAndPredictsAsDojoDoes() throws Exception {
        String job = trained("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":40,\"seed\":6,\"hiddenUnits\":[32,16],"
                + "\"activation\":\"relu\"}}");
        JsonNode torch = roundTrip(job, sineInstances(), "DeeperWideNet");
        assertThat(torch.get("keys").toString()).isEqualTo("[\"layers.0.weight\",\"layers.0.bias\",\"layers.2.weight\",\"layers.2.bias\","
                + "\"layers.4.weight\",\"layers.4.bias\"]");
        compareNumbers(job, sineInstances(), torch);
    }

    @Test
    void theMiniCnnLoadsAndPredictsAsDojoDoes() throws Exception {
        String job = trained("{\"task\":\"mnist\",\"hyperparameters\":{\"epochs\":1,\"trainLimit\":512,\"batchSize\":64}}");
        ImageSet test = MnistFiles.unpinned("subset", Subset.directory()).load().test();
        List<float[]> images = new ArrayList<>();
        StringBuilder dojo = new StringBuilder("{\"instances\":[");
        for (int i = 0; i < 5; i++) {
            float[] pixels = new float[28 * 28];
            test.copyScaled(i, pixels, 0);
            images.add(pixels);
            dojo.append(i == 0 ? "" : ",").append(grid(pixels));
        }
        StringBuilder instances = new StringBuilder("[");
        for (int i = 0; i < images.size(); i++) {
            instances.append(i == 0 ? "" : ",").append(grid(images.get(i)));
        }
        JsonNode torch = roundTrip(job, instances.append("]").toString(), "MiniCNN");
        assertThat(torch.get("keys").toString()).isEqualTo("[\"conv1.weight\",\"conv1.bias\",\"conv2.weight\",\"conv2.bias\","
                + "\"fc1.weight\",\"fc1.bias\",\"fc2.weight\",\"fc2.bias\"]");

        JsonNode predicted = api.post("/api/jobs/" + job + "/predictions", dojo.append("]}").toString()).json().get("predictions");
        for (int i = 0; i < images.size(); i++) {
            JsonNode probabilities = predicted.get(i).get("probabilities");
            for (int k = 0; k < 10; k++) {
                assertThat(torch.at("/outputs/" + i + "/" + k).asDouble()).as("image %d class %d", i, k)
                        .isCloseTo(probabilities.get(k).asDouble(), within(1e-5));
            }
        }
    }

    @Test
    void theFileIsSafetensorsWithTheSpecInItsMetadataAndTheAnswersAreProblems() throws Exception {
        String job = trained("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":20,\"hiddenUnits\":[8],\"checkpointEvery\":10}}");
        Api.Response r = api.get("/api/jobs/" + job + "/export?checkpoint=1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/octet-stream");
        assertThat(r.header("Content-Disposition")).contains(job + "-checkpoint-1.safetensors");
        byte[] file = r.raw().body();
        long length = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(length % 8).isZero();
        JsonNode header = Api.parse(new String(file, 8, (int) length, StandardCharsets.UTF_8));
        JsonNode meta = header.get("__metadata__");
        assertThat(meta.get("dojo.checkpoint").asString()).isEqualTo("1");
        assertThat(meta.get("dojo.epoch").asString()).isEqualTo("10");
        assertThat(Api.parse(meta.get("dojo.spec").asString())).isEqualTo(api.get("/api/jobs/" + job).json().get("spec"));
        assertThat(header.at("/layers.0.weight/shape").toString()).isEqualTo("[8,1]");
        assertThat(header.at("/layers.2.weight/shape").toString()).isEqualTo("[1,8]");
        assertThat(header.at("/layers.2.bias/data_offsets/1").asLong()).isEqualTo(file.length - 8 - length);

        assertThat(api.get("/api/jobs/" + job + "/export?checkpoint=99").status()).isEqualTo(404);
        Api.Response zero = api.get("/api/jobs/" + job + "/export?checkpoint=0");
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.json().get("errors").findValuesAsString("field")).contains("checkpoint");
        assertThat(api.get("/api/jobs/00000000-0000-0000-0000-000000000000/export").status()).isEqualTo(404);
    }

    private static String sineInstances() {
        return "[-0.9, -0.5, -0.1, 0.0, 0.25, 0.7, 0.95]";
    }

    private static String grid(float[] pixels) {
        StringBuilder g = new StringBuilder("[");
        for (int y = 0; y < 28; y++) {
            g.append(y == 0 ? "[" : ",[");
            for (int x = 0; x < 28; x++) {
                g.append(x == 0 ? "" : ",").append(pixels[y * 28 + x]);
            }
            g.append(']');
        }
        return g.append(']').toString();
    }

    /** Exports the job's latest checkpoint and runs the Python round trip on the instances. */
    private JsonNode roundTrip(String job, String instances, String module) throws Exception {
        Api.Response export = api.get("/api/jobs/" + job + "/export");
        assertThat(export.status()).as(export.text()).isEqualTo(200);
        Path weights = dir.resolve(job + ".safetensors");
        Path input = dir.resolve(job + ".json");
        Files.write(weights, export.raw().body());
        Files.writeString(input, instances);
        Process python = new ProcessBuilder(python(), SCRIPT.toString(), weights.toString(), input.toString())
                .redirectErrorStream(false).start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as("python said: " + err).isZero();
        JsonNode result = Api.parse(out);
        assertThat(result.get("module").asString()).isEqualTo(module);
        return result;
    }

    private void compareNumbers(String job, String instances, JsonNode torch) {
        JsonNode predicted = api.post("/api/jobs/" + job + "/predictions", "{\"instances\":" + instances + "}").json().get("predictions");
        assertThat(torch.get("outputs").size()).isEqualTo(predicted.size());
        for (int i = 0; i < predicted.size(); i++) {
            assertThat(torch.at("/outputs/" + i + "/0").asDouble()).as("instance %d", i).isCloseTo(predicted.get(i).asDouble(), within(1e-5));
        }
    }

    /** Debian's interpreter, where python3-torch installs torch; DOJO_TEST_PYTHON overrides it. */
    private static String python() {
        String chosen = System.getenv("DOJO_TEST_PYTHON");
        if (chosen != null) {
            return chosen;
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }
}
