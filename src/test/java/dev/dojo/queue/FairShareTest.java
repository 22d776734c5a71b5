package dev.dojo.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.support.Api;
import dev.dojo.support.CountingTask;
import dev.dojo.support.InProcessNode;
import dev.dojo.support.Postgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Fair share and running limits with a real worker: an api node and a worker node with a single slot
 * on one PostgreSQL schema, tenants' keys made with the bootstrap key, every job submitted over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FairShareTest {

    private static final String BOOTSTRAP = "fair-share-test-bootstrap-secret-0123456789";

    private Postgres pg;
    private List<String> common;
    private InProcessNode api;
    private InProcessNode worker;
    private Api admin;
    private JdbcTemplate db;

    @BeforeAll
    void apiNode() {
        pg = new Postgres("fair");
        common = new ArrayList<>(pg.springArgs());
        common.addAll(List.of("--dojo.security.bootstrap-key=" + BOOTSTRAP,
                "--dojo.test.run-log=" + Path.of("target", "test-data", "fair-runs-" + UUID.randomUUID() + ".log").toAbsolutePath()));
        api = InProcessNode.start("fair-api", with("--dojo.roles=api"));
        admin = api.api().withKey(BOOTSTRAP);
        db = api.bean(JdbcTemplate.class);
    }

    @AfterAll
    void stop() {
        if (worker != null) {
            worker.close();
        }
        api.close();
        pg.close();
    }

    /** The single-slot worker; started once the test has queued what it needs. */
    private void startWorker() {
        if (worker == null) {
            worker = InProcessNode.start("fair-worker", with("--dojo.roles=worker", "--dojo.worker.concurrency=1",
                    "--dojo.worker.poll-interval=100ms"));
        }
    }

    @Test
    @Order(1)
    void oneJobOfAnotherTenantStartsBeforeHalfOfABacklogIsDone() {
        Api teamA = keyOf("team-a");
        Api teamB = keyOf("team-b");
        List<String> backlog = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            backlog.add(teamA.submit(counting(i)));
        }
        String single = teamB.submit(counting(1000));
        startWorker();

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                db.queryForObject("SELECT COUNT(*) FROM training_job WHERE status = 'SUCCEEDED'", Integer.class) == 31);
        int aDoneBeforeB = db.queryForObject("""
                SELECT COUNT(*) FROM training_job a, training_job b
                WHERE b.id = ? AND a.tenant = 'team-a' AND a.finished_at <= b.started_at""", Integer.class, single);
        List<String> startOrder = db.queryForList("SELECT job_id FROM job_attempt ORDER BY started_at, attempt", String.class);
        System.out.printf("FIGURE fair-share: tenant B's one job started after %d of tenant A's 30 (position %d)%n",
                aDoneBeforeB, startOrder.indexOf(single) + 1);
        assertThat(aDoneBeforeB).as("jobs of team-a done before team-b's one job started").isLessThan(15);
        assertThat(startOrder.indexOf(single)).as("team-b's job in the start order").isBetween(0, 14);
        assertThat(startOrder).containsAll(backlog).hasSize(31);
    }

    @Test
    @Order(2)
    void aTenantAtItsRunningLimitWaitsAndSaysWhyWhileAnotherTenantsJobRuns() {
        startWorker();
        Api teamC = keyOf("team-c");
        Api teamD = keyOf("team-d");
        Api.Response set = admin.request("PUT", "/api/tenants/team-c/quota", "{\"maxRunningJobs\":0}");
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(set.json().get("maxRunningJobs").asInt()).isZero();

        String held = teamC.submit(counting(2000));
        String other = teamD.submit(counting(3000));
        assertThat(teamD.await(other, 60).get("status").asString()).isEqualTo("SUCCEEDED");

        JsonNode waiting = teamC.get("/api/jobs/" + held).json();
        assertThat(waiting.get("status").asString()).isEqualTo("QUEUED");
        assertThat(waiting.get("pendingReason").asString()).contains("team-c").contains("maxRunningJobs");
        JsonNode inList = teamC.get("/api/jobs").json().get("items").get(0);
        assertThat(inList.get("pendingReason").asString()).contains("maxRunningJobs");
        JsonNode usage = admin.get("/api/tenants/team-c/quota").json();
        assertThat(usage.get("queued").asInt()).isEqualTo(1);
        assertThat(usage.get("running").asInt()).isZero();

        assertThat(admin.request("PUT", "/api/tenants/team-c/quota", "{\"maxRunningJobs\":1}").status()).isEqualTo(200);
        JsonNode ran = teamC.await(held, 60);
        assertThat(ran.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(ran.get("pendingReason").isNull()).isTrue();
    }

    private Api keyOf(String tenant) {
        return api.api().withKey(admin.createKey(tenant, "jobs:read", "jobs:write").key());
    }

    private static String counting(long seed) {
        return "{\"task\":\"" + CountingTask.NAME + "\",\"hyperparameters\":{\"seed\":" + seed + "}}";
    }

    private List<String> with(String... more) {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of(more));
        return args;
    }
}
