package dev.dojo.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A cancel sent the moment a job is submitted races the worker's claim, 200 times: the workers poll
 * every 5 ms, as workers on other nodes would, so either side can win. Whoever wins, once the cancel
 * is acknowledged the job never runs another step.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/cancel-race-${random.uuid}", "dojo.worker.concurrency=2",
                "dojo.worker.wake-on-submit=false", "dojo.worker.poll-interval=5ms"})
class CancelRaceTest {

    @LocalServerPort
    int port;

    private record Acknowledged(String id, int metricsAtAck, boolean wasQueued) {}

    @Test
    void aCancelledJobNeverRunsAStepAfterTheCancelIsAcknowledged() throws InterruptedException {
        Api api = new Api(port);
        List<Acknowledged> acks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":100000,\"hiddenUnits\":[16],\"seed\":" + i + "}}");
            Api.Response cancel = api.post("/api/jobs/" + id + "/cancel", null);
            assertThat(cancel.status()).as(cancel.text()).isEqualTo(200);
            JsonNode job = cancel.json();
            assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
            acks.add(new Acknowledged(id, metricCount(api, id), job.get("attempt").asInt() == 0));
        }
        Thread.sleep(1000);
        for (Acknowledged a : acks) {
            JsonNode job = api.get("/api/jobs/" + a.id()).json();
            assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
            assertThat(metricCount(api, a.id())).as("metrics of %s after the ack", a.id()).isEqualTo(a.metricsAtAck());
            if (a.wasQueued()) {
                assertThat(a.metricsAtAck()).isZero();
                assertThat(job.get("startedAt").isNull()).isTrue();
                assertThat(job.get("attempts").size()).isZero();
            }
        }
        long queued = acks.stream().filter(Acknowledged::wasQueued).count();
        assertThat(queued).as("cancels that won the race").isBetween(1L, 199L);
        System.out.printf("cancel race: %d of 200 cancels won before the claim, %d stopped a running job%n", queued, 200 - queued);
    }

    private static int metricCount(Api api, String id) {
        return api.get("/api/jobs/" + id + "/metrics?limit=10000").json().get("items").size();
    }
}
