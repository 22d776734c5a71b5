package dev.dojo.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.support.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Retention and warm starts: a job that another job's {@code initFrom} names keeps its checkpoints,
 * so retention passes it by and a delete is a 409, until the warm-started job is gone. This node
 * trains (api and worker), with dojo.jobs.retention of 3 s.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/retention-warm-${random.uuid}", "dojo.jobs.retention=3s"})
class RetentionOfWarmStartsTest {

    @LocalServerPort
    int port;

    private String ended(Api api) {
        String id = api.submit("{\"task\":\"sine-regression\",\"gpus\":1}");
        assertThat(api.post("/api/jobs/" + id + "/cancel", null).status()).isEqualTo(200);
        return id;
    }

    @Test
    void aJobThatAWarmStartNamesStaysWhileThatWarmStartExists() {
        Api api = new Api(port);
        String small = "\"hyperparameters\":{\"epochs\":20,\"hiddenUnits\":[16],\"checkpointEvery\":10}";
        String source = api.submit("{\"task\":\"sine-regression\"," + small + "}");
        assertThat(api.await(source, 120).get("status").asString()).isEqualTo("SUCCEEDED");
        String warm = api.submit("{\"task\":\"sine-regression\"," + small + ",\"initFrom\":{\"job\":\"" + source
                + "\"},\"labels\":{\"keep\":\"true\"}}");
        assertThat(api.await(warm, 120).get("status").asString()).isEqualTo("SUCCEEDED");
        // A job that ended after the source: once the sweep took it, it had passed the source by.
        String plain = ended(api);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> api.get("/api/jobs/" + plain).status() == 404);
        assertThat(api.get("/api/jobs/" + source).status()).as("the warm start's source").isEqualTo(200);

        Api.Response refused = api.request("DELETE", "/api/jobs/" + source, null);
        assertThat(refused.status()).as(refused.text()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains(warm).contains("initFrom");
        assertThat(refused.json().get("warmStartedJobs").get(0).asString()).isEqualTo(warm);

        // Without the warm start, the source is an ordinary old job: the next sweep deletes it.
        assertThat(api.request("DELETE", "/api/jobs/" + warm, null).status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> api.get("/api/jobs/" + source).status() == 404);
    }

}
