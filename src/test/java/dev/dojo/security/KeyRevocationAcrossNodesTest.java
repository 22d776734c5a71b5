package dev.dojo.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import dev.dojo.support.InProcessNode;
import dev.dojo.support.Postgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two api nodes and a worker on one PostgreSQL schema: a key made on node 1 works on node 2 (and the
 * worker trains the job it submits), and once revoked on node 1 it is refused by node 2 within the
 * issue's bound of 2 s, although node 2 had just read it into its key cache.
 */
class KeyRevocationAcrossNodesTest {

    private static final String BOOTSTRAP = "revocation-test-bootstrap-secret-0123456789";
    private static final Duration BOUND = Duration.ofSeconds(2);

    @Test
    void keyRevokedOnOneNodeIsRefusedByTheOtherWithinTwoSeconds() {
        try (Postgres pg = new Postgres("revoke")) {
            List<String> common = new ArrayList<>(pg.springArgs());
            common.add("--dojo.security.bootstrap-key=" + BOOTSTRAP);
            try (InProcessNode node1 = InProcessNode.start("revoke-api-1", with(common, "--dojo.roles=api"));
                 InProcessNode node2 = InProcessNode.start("revoke-api-2", with(common, "--dojo.roles=api"));
                 InProcessNode worker = InProcessNode.start("revoke-worker", with(common, "--dojo.roles=worker",
                         "--dojo.worker.poll-interval=100ms"))) {
                Api.NewKey key = node1.api().withKey(BOOTSTRAP).createKey("team-r", "jobs:read", "jobs:write");
                Api onNode2 = node2.api().withKey(key.key());

                String job = onNode2.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":3}}");
                var done = onNode2.await(job, 120);
                assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
                assertThat(done.get("tenant").asString()).isEqualTo("team-r");
                assertThat(done.get("workerId").asString()).startsWith("revoke-worker/");
                // Node 2 has the key in its cache now: what it read is what the revocation must overtake.
                assertThat(onNode2.get("/api/jobs").status()).isEqualTo(200);

                long revokedAt = System.nanoTime();
                assertThat(node1.api().withKey(BOOTSTRAP).request("DELETE", "/api/keys/" + key.id(), null).status()).isEqualTo(204);
                assertThat(node1.api().withKey(key.key()).get("/api/jobs").status()).as("the revoking node at once").isEqualTo(401);

                Api.Response refused = onNode2.get("/api/jobs");
                while (refused.status() == 200 && System.nanoTime() - revokedAt < BOUND.plusSeconds(3).toNanos()) {
                    sleep(20);
                    refused = onNode2.get("/api/jobs");
                }
                Duration took = Duration.ofNanos(System.nanoTime() - revokedAt);
                System.out.printf("FIGURE key-revocation: refused by the other node %d ms after the revocation%n", took.toMillis());
                assertThat(refused.status()).isEqualTo(401);
                assertThat(refused.contentType()).startsWith("application/problem+json");
                assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
                assertThat(took).as("a revoked key is refused by every node within 2 s").isLessThanOrEqualTo(BOUND);
                assertThat(worker.api().withKey(key.key()).get("/actuator/prometheus").status()).isEqualTo(401);
            }
        }
    }

    private static List<String> with(List<String> common, String... more) {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of(more));
        return args;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
