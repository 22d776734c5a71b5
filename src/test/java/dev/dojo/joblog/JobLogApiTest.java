package dev.dojo.joblog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Per-job logs over real HTTP, written by a real worker into the embedded database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/observe-${random.uuid}", "dojo.node-id=observe-test"})
class JobLogApiTest {

    static final String SHORT_SINE = "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":20,\"hiddenUnits\":[16]}}";

    @LocalServerPort
    int port;

    @Test
    void aJobsLogTellsItsStartEpochsCheckpointsAndEnd() {
        Api api = new Api(port);
        String id = api.submit(SHORT_SINE);
        assertThat(api.await(id, 120).get("status").asString()).isEqualTo("SUCCEEDED");

        Api.Response r = api.get("/api/jobs/" + id + "/logs");
        assertThat(r.status()).isEqualTo(200);
        List<String> messages = messages(r.json().get("lines"));
        assertThat(messages.get(0)).startsWith("attempt 1 starts on cpu (worker observe-test/0) from scratch");
        assertThat(messages).contains("epoch 1/20 done, train_loss=" + value(messages, "epoch 1/20"));
        assertThat(messages).filteredOn(m -> m.startsWith("checkpoint after epoch ")).hasSize(10);
        assertThat(messages.get(messages.size() - 1)).isEqualTo("succeeded after 20 epochs");
        for (JsonNode line : r.json().get("lines")) {
            assertThat(line.get("attempt").asInt()).isEqualTo(1);
            assertThat(line.get("level").asString()).isEqualTo("INFO");
            assertThat(line.get("at").asString()).isNotBlank();
        }

        // Paging: the first 5 lines, then the rest after the last id seen.
        JsonNode first = api.get("/api/jobs/" + id + "/logs?afterId=0&limit=5").json();
        assertThat(messages(first.get("lines"))).isEqualTo(messages.subList(0, 5));
        JsonNode rest = api.get("/api/jobs/" + id + "/logs?afterId=" + first.get("nextAfterId").asLong()).json();
        assertThat(messages(rest.get("lines"))).isEqualTo(messages.subList(5, messages.size()));
        // Without afterId: the newest lines.
        assertThat(messages(api.get("/api/jobs/" + id + "/logs?limit=2").json().get("lines")))
                .isEqualTo(messages.subList(messages.size() - 2, messages.size()));
    }

    @Test
    void unknownJobAndBadParametersAreProblems() {
        Api api = new Api(port);
        Api.Response missing = api.get("/api/jobs/no-such-job/logs");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        Api.Response tooMany = api.get("/api/jobs/no-such-job/logs?limit=5000");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().at("/errors/0/field").asString()).isEqualTo("limit");
    }

    private static String value(List<String> messages, String prefix) {
        String line = messages.stream().filter(m -> m.startsWith(prefix + " done")).findFirst().orElseThrow();
        return line.substring(line.indexOf('=') + 1);
    }

    private static List<String> messages(JsonNode lines) {
        List<String> out = new ArrayList<>();
        lines.forEach(l -> out.add(l.get("message").asString()));
        return out;
    }
}
