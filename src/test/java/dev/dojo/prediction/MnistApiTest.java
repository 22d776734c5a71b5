package dev.dojo.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.dataset.ImageSet;
import dev.dojo.dataset.MnistData;
import dev.dojo.dataset.MnistFiles;
import dev.dojo.dataset.Subset;
import dev.dojo.support.Api;
import dev.dojo.support.DigitJson;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
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
 * The MNIST task through the service, on the committed excerpt of the real data set: train,
 * evaluate, and read digits given as arrays, base64 PNGs and uploaded files.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/mnist-api-${random.uuid}",
        "dojo.datasets.mnist-dir=src/test/resources/mnist-subset", "dojo.datasets.verify-checksums=false",
        "dojo.datasets.fashion-mnist-dir=target/test-data/no-fashion-here"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MnistApiTest {

    @LocalServerPort
    int port;

    Api api;
    String job;
    ImageSet test;

    @BeforeAll
    void trainOnce() {
        api = new Api(port);
        test = MnistFiles.unpinned("subset", Subset.directory()).load().test();
        job = api.submit("{\"task\":\"mnist\",\"hyperparameters\":{\"epochs\":2,\"optimizer\":\"adam\",\"learningRate\":0.001,\"batchSize\":32}}");
        JsonNode done = api.await(job, 600);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void trainsAndRecordsEveryMetricAndTheEvaluation() {
        JsonNode job = api.get("/api/jobs/" + this.job).json();
        assertThat(job.at("/spec/hyperparameters/model").asString()).isEqualTo("mini-cnn");
        assertThat(job.at("/progress/epoch").asInt()).isEqualTo(2);
        JsonNode metrics = api.get("/api/jobs/" + this.job + "/metrics?limit=10000").json().get("items");
        assertThat(metrics.findValuesAsString("name")).contains("train_loss", "epoch_train_loss", "test_loss", "test_accuracy", "images_per_second");
        double accuracy = job.at("/latestMetrics/test_accuracy/value").asDouble();
        assertThat(accuracy).isGreaterThan(0.85);

        JsonNode evaluation = api.get("/api/jobs/" + this.job + "/evaluation").json();
        assertThat(evaluation.get("accuracy").asDouble()).isCloseTo(accuracy, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(evaluation.get("confusion").size()).isEqualTo(10);
        long total = 0;
        for (JsonNode row : evaluation.get("confusion")) {
            for (JsonNode cell : row) {
                total += cell.asLong();
            }
        }
        assertThat(total).isEqualTo(Subset.TEST);
        assertThat(evaluation.get("perClassAccuracy").size()).isEqualTo(10);
        assertThat(api.get("/api/jobs/" + this.job + "/checkpoints").json().size()).isEqualTo(2);
    }

    @Test
    void readsRealDigitsGivenAsArraysInOneRequest() {
        StringBuilder body = new StringBuilder("{\"instances\": [");
        int n = 40;
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append(array(i));
        }
        Api.Response r = api.post("/api/jobs/" + job + "/predictions", body.append("]}").toString());
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        int right = 0;
        for (int i = 0; i < n; i++) {
            JsonNode p = r.json().get("predictions").get(i);
            assertThat(p.get("probabilities").size()).isEqualTo(10);
            double sum = 0;
            for (JsonNode q : p.get("probabilities")) {
                sum += q.asDouble();
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            assertThat(p.get("label").isNumber()).isTrue();
            right += p.get("label").asInt() == test.label(i) ? 1 : 0;
        }
        assertThat(right).isGreaterThanOrEqualTo(34);
    }

    @Test
    void readsADarkOnLightDrawingOfAnySizeAsPngAndAsUpload() throws IOException {
        int index = firstCorrectlyReadDigit();
        byte[] png = png(drawing(index, 10));

        String b64 = Base64.getEncoder().encodeToString(png);
        Api.Response viaJson = api.post("/api/jobs/" + job + "/predictions", "{\"instances\": [{\"b64\": \"" + b64 + "\"}]}");
        assertThat(viaJson.status()).as(viaJson.text()).isEqualTo(200);
        assertThat(viaJson.json().at("/predictions/0/label").asInt()).isEqualTo(test.label(index));

        String boundary = "dojo" + UUID.randomUUID();
        ByteArrayOutputStream multipart = new ByteArrayOutputStream();
        multipart.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"digit.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes());
        multipart.write(png);
        multipart.write(("\r\n--" + boundary + "--\r\n").getBytes());
        Api.Response viaUpload = api.post("/api/jobs/" + job + "/predictions", "multipart/form-data; boundary=" + boundary, multipart.toByteArray());
        assertThat(viaUpload.status()).as(viaUpload.text()).isEqualTo(200);
        assertThat(viaUpload.json().at("/predictions/0/label").asInt()).isEqualTo(test.label(index));
    }

    Stream<Arguments> badInstances() throws IOException {
        String rows27 = array(0).replaceFirst("\\[\\[[^\\]]*\\],", "[");
        String nan = array(0).replaceFirst("0", "NaN");
        String tooBright = array(0).replaceFirst("0", "300");
        String brokenPng = Base64.getEncoder().encodeToString("not an image at all".getBytes());
        String huge = Base64.getEncoder().encodeToString(png(new BufferedImage(5000, 4000, BufferedImage.TYPE_BYTE_GRAY)));
        return Stream.of(
                Arguments.of("27 rows", "{\"instances\": [" + array(1) + "," + rows27 + "]}", "instances[1]"),
                Arguments.of("NaN pixel", "{\"instances\": [" + nan + "]}", "instances[0]"),
                Arguments.of("pixel above 255", "{\"instances\": [" + array(1) + "," + array(2) + "," + tooBright + "]}", "instances[2]"),
                Arguments.of("broken PNG", "{\"instances\": [{\"b64\": \"" + brokenPng + "\"}]}", "instances[0]"),
                Arguments.of("not base64", "{\"instances\": [{\"b64\": \"%%%\"}]}", "instances[0]"),
                Arguments.of("20-megapixel image", "{\"instances\": [" + array(1) + ", {\"b64\": \"" + huge + "\"}]}", "instances[1]"),
                Arguments.of("a number", "{\"instances\": [0.5]}", "instances[0]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInstances")
    void malformedInstancesAreA400NamingTheIndex(String description, String body, String field) {
        Api.Response r = api.post("/api/jobs/" + job + "/predictions", body);
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        assertThat(r.json().get("errors").findValuesAsString("field")).contains(field);
    }

    @Test
    void aJobWhoseDatasetIsMissingFailsAtOnceWithWhatToDo() {
        String id = api.submit("{\"task\":\"fashion-mnist\"}");
        JsonNode done = api.await(id, 120);
        assertThat(done.get("status").asString()).isEqualTo("FAILED");
        assertThat(done.get("attempt").asInt()).isEqualTo(1);
        assertThat(done.get("failureReason").asString()).contains("no-fashion-here", "Put train-images-idx3-ubyte");
        assertThat(done.get("attempts").get(0).get("outcome").asString()).isEqualTo("FAILED");
        assertThat(api.get("/api/jobs/" + id + "/evaluation").status()).isEqualTo(404);
    }

    private int firstCorrectlyReadDigit() {
        for (int i = 0; i < 50; i++) {
            JsonNode p = api.post("/api/jobs/" + job + "/predictions", "{\"instances\": [" + array(i) + "]}").json();
            if (p.at("/predictions/0/label").asInt() == test.label(i) && p.at("/predictions/0/probabilities/" + test.label(i)).asDouble() > 0.9) {
                return i;
            }
        }
        throw new AssertionError("the model read none of the first 50 test digits confidently");
    }

    /** Test image {@code i} as a JSON 28×28 array of 0–255 integers. */
    private String array(int i) {
        return DigitJson.array(test, i);
    }

    /** Test image {@code i} drawn dark on a light page, {@code scale} times larger, off-centre. */
    private BufferedImage drawing(int i, int scale) {
        BufferedImage page = new BufferedImage(28 * scale + 90, 28 * scale + 40, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < page.getHeight(); y++) {
            for (int x = 0; x < page.getWidth(); x++) {
                page.setRGB(x, y, 0xF4F4F0);
            }
        }
        for (int y = 0; y < 28 * scale; y++) {
            for (int x = 0; x < 28 * scale; x++) {
                int ink = test.pixel(i, y / scale, x / scale);
                int v = 0xF4 - ink * 0xF4 / 255;
                page.setRGB(x + 70, y + 10, (v << 16) | (v << 8) | v);
            }
        }
        return page;
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
