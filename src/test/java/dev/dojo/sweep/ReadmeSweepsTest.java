package dev.dojo.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The README's "Experiments" section runs as written: each of its sweeps is accepted as it stands,
 * and the sine one runs to the end here (the MNIST ones run for real with bench/sweeps.sh, which
 * reads the same blocks; here they are cancelled once accepted, which cancels their trials).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/readme-sweeps-${random.uuid}", "dojo.sweeps.tick=200ms",
        "dojo.datasets.mnist-dir=src/test/resources/mnist-subset", "dojo.datasets.verify-checksums=false",
        "dojo.worker.concurrency=2"})
class ReadmeSweepsTest {

    @LocalServerPort
    int port;

    static List<String> sweeps() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int from = readme.indexOf("## Experiments");
        assertThat(from).as("the README's Experiments section").isNotNegative();
        int to = readme.indexOf("\n## ", from + 1);
        Matcher m = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(from, to));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void everySweepIsAcceptedAndTheSineOneFindsItsBestFit() throws IOException {
        Api api = new Api(port);
        List<String> sweeps = sweeps();
        assertThat(sweeps).as("the seed's five comparisons").hasSize(5);
        JsonNode sine = null;
        for (String body : sweeps) {
            Api.Response r = api.post("/api/sweeps", body);
            assertThat(r.status()).as(body + "\n" + r.text()).isEqualTo(202);
            String id = r.json().get("id").asString();
            if (Api.parse(body).at("/base/task").asString().equals("sine-regression")) {
                sine = SweepNode.awaitEnd(api, id, s -> { });
            } else {
                assertThat(api.post("/api/sweeps/" + id + "/cancel", null).status()).isEqualTo(200);
                assertThat(api.get("/api/sweeps/" + id).json().get("status").asString()).isEqualTo("CANCELLED");
            }
        }
        assertThat(sine).as("a sine sweep in the README").isNotNull();
        assertThat(sine.get("status").asString()).as(sine.toString()).isEqualTo("SUCCEEDED");
        assertThat(sine.at("/counts/succeeded").asInt()).isEqualTo(4);
        double lowest = Double.MAX_VALUE;
        for (JsonNode t : sine.get("trials")) {
            lowest = Math.min(lowest, t.get("objective").asDouble());
        }
        assertThat(sine.at("/best/objective").asDouble()).isEqualTo(lowest);
        // Every one of the seed's fits comes close to the clean curve (noise variance 0.04).
        assertThat(lowest).isLessThan(0.02);
    }
}
