package dev.dojo.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dojo.dataset.ImageSet;
import dev.dojo.dataset.MnistFiles;
import dev.dojo.dataset.Subset;
import dev.dojo.support.Api;
import dev.dojo.support.DigitJson;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Concurrent single-image requests over real HTTP, gathered into shared forward passes: each request
 * gets its own answer (equal to the one it gets alone, within 1e-6) or its own 400, and requests for
 * two checkpoints of one job are never mixed. The first request of a batch waits the whole delay here
 * ({@code wait-for=delay}), and the delay is long (200 ms), so that requests released together surely meet
 * however the machine schedules them; the defaults are 2 ms and {@code arrivals}. (With {@code arrivals}
 * on a busy two-core machine, every one of 24 requests once ran alone: each had been fully decoded and
 * served before the next one's body was read.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/batching-${random.uuid}",
        "dojo.datasets.mnist-dir=src/test/resources/mnist-subset", "dojo.datasets.verify-checksums=false",
        "dojo.prediction.batch.max-delay=200ms", "dojo.prediction.batch.max-size=64",
        "dojo.prediction.batch.wait-for=delay"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamicBatchingTest {

    private static final int CLIENTS = 32;

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    Api api;
    String job;
    ImageSet test;

    @BeforeAll
    void trainOnce() {
        api = new Api(port);
        test = MnistFiles.unpinned("subset", Subset.directory()).load().test();
        job = api.submit("{\"task\":\"mnist\",\"hyperparameters\":{\"epochs\":2,\"checkpointEvery\":1,\"optimizer\":\"adam\","
                + "\"learningRate\":0.001,\"batchSize\":32}}");
        JsonNode done = api.await(job, 600);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void concurrentRequestsShareForwardPassesAndEachGetsItsOwnAnswerOrError() throws Exception {
        // Alone, one at a time: the unbatched answers.
        List<JsonNode> alone = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            alone.add(predict(digit(i), null));
        }
        DistributionSummary passes = meters.find("dojo.prediction.batch.size").summary();
        long passesBefore = passes.count();
        double instancesBefore = passes.totalAmount();
        Timer passTimes = meters.find("dojo.prediction.forward").timer();
        long timedBefore = passTimes.count();
        double secondsBefore = passTimes.totalTime(TimeUnit.SECONDS);

        // Every fourth client sends a broken instance (27 rows); the others the same digits again.
        List<JsonNode> together = release(i -> i % 4 == 3 ? broken() : digit(i), i -> null);
        for (int i = 0; i < CLIENTS; i++) {
            JsonNode answer = together.get(i);
            if (i % 4 == 3) {
                assertThat(answer.get("status").asInt()).as("client %d", i).isEqualTo(400);
                assertThat(answer.at("/errors/0/field").asString()).isEqualTo("instances[0]");
            } else {
                sameScores(answer, alone.get(i), "client " + i);
            }
        }
        long passesRun = passes.count() - passesBefore;
        double instancesServed = passes.totalAmount() - instancesBefore;
        System.out.printf("FIGURE dynamic batching: %d good single-image requests in %d forward passes%n",
                (long) instancesServed, passesRun);
        assertThat(instancesServed).isEqualTo(CLIENTS - CLIENTS / 4);
        assertThat(passesRun).as("forward passes for %d concurrent requests", CLIENTS - CLIENTS / 4)
                .isLessThan(CLIENTS - CLIENTS / 4);
        assertThat(passTimes.count() - timedBefore).as("passes timed by dojo.prediction.forward").isEqualTo(passesRun);
        assertThat(passTimes.totalTime(TimeUnit.SECONDS) - secondsBefore).as("seconds in those passes").isPositive();
    }

    @Test
    void requestsForTwoCheckpointsAreNeverMixedIntoOnePass() throws Exception {
        JsonNode first = predict(digit(0), 1);
        JsonNode second = predict(digit(0), 2);
        assertThat(first.get("checkpoint").asInt()).isEqualTo(1);
        assertThat(second.get("checkpoint").asInt()).isEqualTo(2);
        // The two checkpoints answer differently, so a mixed pass would show.
        assertThat(first.at("/predictions/0/probabilities").toString()).isNotEqualTo(second.at("/predictions/0/probabilities").toString());

        List<JsonNode> together = release(i -> digit(0), i -> i % 2 + 1);
        for (int i = 0; i < CLIENTS; i++) {
            JsonNode answer = together.get(i);
            assertThat(answer.get("checkpoint").asInt()).isEqualTo(i % 2 + 1);
            sameScores(answer, i % 2 == 0 ? first : second, "client " + i);
        }
    }

    private interface Body {
        String of(int client);
    }

    private interface Checkpoint {
        Integer of(int client);
    }

    /** Sends one request per client, all released at once, and returns each answer (a problem's body for errors). */
    private List<JsonNode> release(Body body, Checkpoint checkpoint) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                answers.add(clients.submit(() -> {
                    go.await();
                    return send(body.of(client), checkpoint.of(client));
                }));
            }
            go.countDown();
            List<JsonNode> out = new ArrayList<>();
            for (Future<JsonNode> answer : answers) {
                out.add(answer.get());
            }
            return out;
        } finally {
            clients.shutdownNow();
        }
    }

    private JsonNode predict(String body, Integer checkpoint) {
        JsonNode answer = send(body, checkpoint);
        assertThat(answer.has("predictions")).as(answer.toString()).isTrue();
        return answer;
    }

    private JsonNode send(String body, Integer checkpoint) {
        String path = "/api/jobs/" + job + "/predictions" + (checkpoint == null ? "" : "?checkpoint=" + checkpoint);
        Api.Response r = api.post(path, body);
        return r.json();
    }

    private static void sameScores(JsonNode actual, JsonNode expected, String who) {
        assertThat(actual.has("predictions")).as(who + ": " + actual).isTrue();
        JsonNode a = actual.at("/predictions/0");
        JsonNode e = expected.at("/predictions/0");
        assertThat(a.get("label").asString()).as(who).isEqualTo(e.get("label").asString());
        for (int k = 0; k < 10; k++) {
            assertThat(a.get("probabilities").get(k).asDouble()).as(who + " class " + k)
                    .isCloseTo(e.get("probabilities").get(k).asDouble(), within(1e-6));
        }
    }

    private String digit(int index) {
        return DigitJson.request(test, index);
    }

    private static String broken() {
        return "{\"instances\": [[" + "[0],".repeat(26) + "[0]]]}";
    }
}
