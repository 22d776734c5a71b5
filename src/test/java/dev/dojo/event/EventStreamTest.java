package dev.dojo.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The event stream over real HTTP: complete, ordered, resumable, and live. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/events-${random.uuid}", "dojo.events.poll-interval=100ms"})
class EventStreamTest {

    @LocalServerPort
    int port;

    @Test
    void aFinishedJobStreamsEveryMetricOnceInOrderThenEndsAndResumesFromTheMiddle() {
        Api api = new Api(port);
        String job = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":300,\"hiddenUnits\":[16],\"checkpointEvery\":100}}");
        assertThat(api.await(job, 120).get("status").asString()).isEqualTo("SUCCEEDED");
        JsonNode stored = api.get("/api/jobs/" + job + "/metrics?limit=10000").json().get("items");
        int checkpoints = api.get("/api/jobs/" + job + "/checkpoints").json().size();

        List<SseClient.Event> all;
        try (SseClient sse = new SseClient(port, "/api/jobs/" + job + "/events", null)) {
            assertThat(sse.response().headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            all = sse.until(e -> false);
            assertThat(sse.closedByServer()).isTrue();
        }
        List<SseClient.Event> metrics = named(all, "metric");
        assertThat(metrics).hasSize(stored.size());
        for (int i = 0; i < metrics.size(); i++) {
            JsonNode m = Api.parse(metrics.get(i).data());
            assertThat(m.get("step").asLong()).isEqualTo(stored.get(i).get("step").asLong());
            assertThat(m.get("value").asDouble()).isEqualTo(stored.get(i).get("value").asDouble());
        }
        assertThat(named(all, "checkpoint")).hasSize(checkpoints);
        assertThat(all.get(all.size() - 1).name()).isEqualTo("end");
        assertThat(Api.parse(all.get(all.size() - 1).data()).get("status").asString()).isEqualTo("SUCCEEDED");
        // Every event but the closing one advances the cursor, so their ids are distinct; end repeats the last id.
        List<SseClient.Event> advancing = all.subList(0, all.size() - 1);
        assertThat(advancing.stream().map(SseClient.Event::id).distinct().count()).isEqualTo(advancing.size());
        assertThat(all.get(all.size() - 1).id()).isEqualTo(all.get(all.size() - 2).id());

        // Resume after the 100th event: what follows is exactly the rest of the first stream.
        String middle = all.get(99).id();
        List<SseClient.Event> rest;
        try (SseClient sse = new SseClient(port, "/api/jobs/" + job + "/events", middle)) {
            rest = sse.until(e -> false);
        }
        assertThat(rest.stream().map(e -> e.name() + e.id() + e.data()).toList())
                .isEqualTo(all.subList(100, all.size()).stream().map(e -> e.name() + e.id() + e.data()).toList());

        // The same through the query parameter, for clients without EventSource.
        try (SseClient sse = new SseClient(port, "/api/jobs/" + job + "/events?lastEventId=" + middle, null)) {
            assertThat(named(sse.until(e -> false), "metric")).hasSize(metrics.size() - 100);
        }
        // Resuming from the last id of a finished stream sends only the end event.
        try (SseClient sse = new SseClient(port, "/api/jobs/" + job + "/events", all.get(all.size() - 2).id())) {
            assertThat(sse.until(e -> false)).extracting(SseClient.Event::name).containsExactly("end");
        }
    }

    @Test
    void aLiveJobStreamsMetricsWhileItTrains() {
        Api api = new Api(port);
        String job = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":100000,\"hiddenUnits\":[64]}}");
        List<SseClient.Event> seen = new ArrayList<>();
        try (SseClient sse = new SseClient(port, "/api/jobs/" + job + "/events", null)) {
            seen.addAll(sse.until(e -> e.name().equals("metric")));
            assertThat(api.get("/api/jobs/" + job).json().get("status").asString()).isEqualTo("RUNNING");
            long firstStep = Api.parse(seen.get(seen.size() - 1).data()).get("step").asLong();
            // More arrive later, in separate polls, while the job still runs.
            SseClient.Event later = null;
            while (later == null || !later.name().equals("metric") || Api.parse(later.data()).get("step").asLong() < firstStep + 200) {
                later = sse.next();
                assertThat(later).isNotNull();
                seen.add(later);
            }
            assertThat(later.at() - seen.get(0).at()).as("arrived over time, not at once").isGreaterThan(50_000_000L);
            assertThat(api.get("/api/jobs/" + job).json().get("status").asString()).isEqualTo("RUNNING");
            assertThat(api.post("/api/jobs/" + job + "/cancel", null).status()).isLessThan(300);
            seen.addAll(sse.until(e -> e.name().equals("end")));
            assertThat(sse.next()).as("closed after end").isNull();
        }
        assertThat(seen.get(0).name()).isEqualTo("status");
        assertThat(Api.parse(seen.get(seen.size() - 1).data()).get("status").asString()).isEqualTo("CANCELLED");
        List<Long> steps = named(seen, "metric").stream().map(e -> Api.parse(e.data()).get("step").asLong()).toList();
        assertThat(steps).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void anUnknownJobIsA404Problem() {
        Api.Response r = new Api(port).get("/api/jobs/no-such-job/events");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).contains("application/problem+json");
    }

    private static List<SseClient.Event> named(List<SseClient.Event> events, String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }
}
