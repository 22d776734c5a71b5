package dev.dojo.sweep;

import static org.awaitility.Awaitility.await;

import dev.dojo.support.Api;
import dev.dojo.support.StatementCounter;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * One in-process node on H2 (api and a worker with two slots) with a bootstrap key and a fast sweep
 * tick, its DataSource wrapped by a {@link StatementCounter}. The sweep test classes extend it and share one context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/sweep-${random.uuid}", "dojo.node-id=sweep-test",
        "dojo.security.bootstrap-key=" + SweepNode.BOOTSTRAP, "dojo.sweeps.tick=200ms",
        "dojo.worker.concurrency=2", "dojo.worker.poll-interval=200ms"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Import(StatementCounter.class)
abstract class SweepNode {

    static final String BOOTSTRAP = "sweep-test-bootstrap-secret-0123456789abcdef";

    @LocalServerPort
    int port;

    Api admin;

    @BeforeAll
    void admin() {
        admin = new Api(port).withKey(BOOTSTRAP);
    }

    /** A client with a new key of {@code tenant} that may read and submit jobs. */
    Api keyOf(String tenant) {
        return new Api(port).withKey(admin.createKey(tenant, "jobs:read", "jobs:write").key());
    }

    /** Posts the sweep, failing unless 202, and answers its id. */
    static String start(Api api, String sweep) {
        Api.Response r = api.post("/api/sweeps", sweep);
        if (r.status() != 202) {
            throw new AssertionError("sweep answered " + r.status() + ": " + r.text());
        }
        return r.json().get("id").asString();
    }

    /** Waits until the sweep ends, calling {@code sample} with the sweep on every look; answers it ended. */
    static JsonNode awaitEnd(Api api, String id, Consumer<JsonNode> sample) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode sweep = api.get("/api/sweeps/" + id).json();
            sample.accept(sweep);
            last[0] = sweep;
            return !"RUNNING".equals(sweep.get("status").asString());
        });
        return last[0];
    }
}
