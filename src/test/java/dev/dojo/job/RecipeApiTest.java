package dev.dojo.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Recipes and throughput through the service, on the committed MNIST excerpt: the task listing shows
 * each recipe resolved, a job names one and shows it with the resolved hyperparameters, an unknown
 * one is a 400 naming {@code recipe}, and a job's progress carries images/s and the time left.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/recipe-api-${random.uuid}",
        "dojo.datasets.mnist-dir=src/test/resources/mnist-subset", "dojo.datasets.verify-checksums=false",
        "dojo.datasets.fashion-mnist-dir=target/test-data/no-fashion-here"})
class RecipeApiTest {

    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(port);
    }

    @Test
    void theTaskListingShowsEachRecipeResolved() {
        JsonNode tasks = api.get("/api/tasks").json();
        JsonNode mnist = null;
        for (JsonNode t : tasks) {
            if (t.get("name").asString().equals("mnist")) {
                mnist = t;
            }
            assertThat(t.at("/recipes/0/name").asString()).as(t.get("name").asString()).isEqualTo("seed");
        }
        assertThat(mnist).isNotNull();
        assertThat(mnist.at("/recipes/0/hyperparameters/model").asString()).isEqualTo("mini-cnn");
        assertThat(mnist.at("/recipes/1/name").asString()).isEqualTo("fast");
        JsonNode fast = mnist.at("/recipes/1/hyperparameters");
        assertThat(fast.get("model").asString()).isEqualTo("fast-cnn");
        assertThat(fast.get("lrSchedule").asString()).isEqualTo("onecycle");
        assertThat(fast.get("beta1").asDouble()).isEqualTo(0.7);
        assertThat(fast.get("beta2").asDouble()).isEqualTo(0.9);
        assertThat(fast.get("batchSize").asInt()).isEqualTo(256);
        assertThat(fast.get("labelSmoothing").asDouble()).isEqualTo(0.1);
    }

    @Test
    void anUnknownRecipeIsA400NamingItAndListingTheKnownOnes() {
        Api.Response r = api.post("/api/jobs", "{\"task\":\"mnist\",\"recipe\":\"fastest\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("errors").findValuesAsString("field")).containsExactly("recipe");
        assertThat(r.json().get("errors").get(0).get("message").asString()).contains("\"fastest\"", "seed", "fast");
    }

    @Test
    void aFastJobShowsItsRecipeAndResolvedHyperparametersAndItsThroughput() {
        String id = api.submit("{\"task\":\"mnist\",\"recipe\":\"fast\",\"hyperparameters\":{\"epochs\":2,\"batchSize\":32}}");
        JsonNode done = api.await(id, 600);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.at("/spec/recipe").asString()).isEqualTo("fast");
        JsonNode hp = done.at("/spec/hyperparameters");
        assertThat(hp.get("model").asString()).isEqualTo("fast-cnn");
        assertThat(hp.get("epochs").asInt()).isEqualTo(2);
        assertThat(hp.get("batchSize").asInt()).isEqualTo(32);
        assertThat(hp.get("optimizer").asString()).isEqualTo("adam");
        assertThat(hp.get("beta1").asDouble()).isEqualTo(0.7);
        assertThat(hp.get("warmupFraction").asDouble()).isEqualTo(0.3);
        // 2,000 training digits, 1,000 test digits: a loose bound on learning, not on time.
        assertThat(done.at("/latestMetrics/test_accuracy/value").asDouble()).isGreaterThan(0.85);
        assertThat(done.at("/progress/imagesPerSecond").asDouble())
                .isPositive().isEqualTo(done.at("/latestMetrics/images_per_second/value").asDouble());
        assertThat(done.at("/progress/etaSeconds").asDouble()).isZero();

        JsonNode plain = api.get("/api/jobs/" + api.submit("{\"task\":\"mnist\",\"hyperparameters\":{\"trainLimit\":64}}")).json();
        assertThat(plain.at("/spec/recipe").asString()).isEqualTo("seed");
        assertThat(plain.at("/spec/hyperparameters/model").asString()).isEqualTo("mini-cnn");
        api.await(plain.get("id").asString(), 600);
    }

    @Test
    void aRunningJobShowsTheTimeLeftOnceAnEpochIsDone() {
        String id = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":100000,\"hiddenUnits\":[8]}}");
        AtomicReference<JsonNode> seen = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode j = api.get("/api/jobs/" + id).json();
            seen.set(j);
            return j.get("status").asString().equals("RUNNING") && j.at("/progress/epoch").asInt() > 0;
        });
        JsonNode running = seen.get();
        assertThat(running.at("/progress/etaSeconds").isNumber()).as(running.toString()).isTrue();
        assertThat(running.at("/progress/etaSeconds").asDouble()).isPositive();
        // The sine task trains on points, not images: its images/s is unknown.
        assertThat(running.at("/progress/imagesPerSecond").isNull()).isTrue();
        assertThat(api.post("/api/jobs/" + id + "/cancel", "").status()).isLessThan(300);
        api.await(id, 120);
    }
}
