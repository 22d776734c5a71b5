package dev.dojo.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * MNIST weights fine-tuned on Fashion-MNIST (Debian's dataset-fashion-mnist) with the conv layers
 * frozen: the network is the same, so the task change is allowed; the conv weights stay the MNIST
 * job's bit for bit while the dense layers learn the new task. The same epoch from random weights at
 * the same seed is trained beside it and both accuracies are printed. On the committed 2,000-image
 * MNIST excerpt the pretrained run does not win (0.684 against 0.749 when this was written: conv
 * features learned from 2,000 digits, frozen, are worse than learning them afresh), so the test
 * does not claim it does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/warm-across-${random.uuid}",
        "dojo.datasets.mnist-dir=src/test/resources/mnist-subset", "dojo.datasets.verify-checksums=false"})
class WarmStartAcrossTasksTest {

    @LocalServerPort
    int port;

    /** One tensor's raw bytes from the job's exported latest checkpoint. */
    private static byte[] tensor(Api api, String job, String name) {
        byte[] file = api.get("/api/jobs/" + job + "/export").raw().body();
        int length = (int) java.nio.ByteBuffer.wrap(file, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode offsets = Api.parse(new String(file, 8, length, java.nio.charset.StandardCharsets.UTF_8)).get(name).get("data_offsets");
        return java.util.Arrays.copyOfRange(file, 8 + length + offsets.get(0).asInt(), 8 + length + offsets.get(1).asInt());
    }

    @Test
    void mnistWeightsFineTuneOnFashionMnistWithTheConvLayersFrozen() {
        Api api = new Api(port);
        String mnist = api.submit("{\"task\":\"mnist\",\"hyperparameters\":{\"epochs\":2,\"optimizer\":\"adam\",\"learningRate\":0.001,"
                + "\"batchSize\":32}}");
        assertThat(api.await(mnist, 600).get("status").asString()).isEqualTo("SUCCEEDED");

        String fashion = "{\"task\":\"fashion-mnist\",\"hyperparameters\":{\"epochs\":1,\"optimizer\":\"adam\",\"learningRate\":0.001,"
                + "\"batchSize\":32,\"trainLimit\":2000,\"seed\":7}";
        JsonNode warm = api.await(api.submit(fashion + ",\"initFrom\":{\"job\":\"" + mnist + "\"},\"freeze\":[\"conv1\",\"conv2\"]}"), 600);
        JsonNode cold = api.await(api.submit(fashion + "}"), 600);
        assertThat(warm.get("status").asString()).as(warm.toString()).isEqualTo("SUCCEEDED");
        assertThat(cold.get("status").asString()).as(cold.toString()).isEqualTo("SUCCEEDED");

        double warmAccuracy = warm.at("/latestMetrics/test_accuracy/value").asDouble();
        double coldAccuracy = cold.at("/latestMetrics/test_accuracy/value").asDouble();
        System.out.printf("fashion-mnist, 1 epoch on 2000 images, seed 7: from MNIST weights, conv frozen %.4f; from random %.4f%n",
                warmAccuracy, coldAccuracy);
        assertThat(warm.at("/spec/initFrom/job").asString()).isEqualTo(mnist);
        String tuned = warm.get("id").asString();
        for (String frozen : new String[] {"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias"}) {
            assertThat(tensor(api, tuned, frozen)).as(frozen).isEqualTo(tensor(api, mnist, frozen));
        }
        assertThat(tensor(api, tuned, "fc1.weight")).isNotEqualTo(tensor(api, mnist, "fc1.weight"));
        assertThat(tensor(api, tuned, "fc2.weight")).isNotEqualTo(tensor(api, mnist, "fc2.weight"));
        // Ten classes: chance is 0.1. The dense layers on frozen MNIST features learned the new task.
        assertThat(warmAccuracy).isGreaterThan(0.5);
    }
}
