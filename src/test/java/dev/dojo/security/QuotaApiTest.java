package dev.dojo.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Tenant quotas over real HTTP: a full queue is a 429 that creates nothing; usage is shown to admins only. */
class QuotaApiTest extends TenantNode {

    private static final String SPEC = "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":1}}";

    @Autowired
    JdbcTemplate db;

    @Test
    void submitOverTheQueuedQuotaIsA429WithRetryAfterAndCreatesNothing() {
        Api team = keyOf("quota-a");
        Api.Response set = admin.request("PUT", "/api/tenants/quota-a/quota", "{\"maxQueuedJobs\":2}");
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        team.submit(SPEC);
        team.submit(SPEC);

        int before = jobs();
        Api.Response refused = team.post("/api/jobs", SPEC);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isEqualTo("30");
        assertThat(refused.json().get("detail").asString()).contains("quota-a").contains("maxQueuedJobs 2");
        assertThat(jobs()).as("jobs in the database after the refused submit").isEqualTo(before);
        assertThat(team.get("/api/jobs").json().get("totalItems").asInt()).isEqualTo(2);

        JsonNode usage = admin.get("/api/tenants/quota-a/quota").json();
        assertThat(usage.get("tenant").asString()).isEqualTo("quota-a");
        assertThat(usage.get("queued").asInt()).isEqualTo(2);
        assertThat(usage.get("running").asInt()).isZero();
        assertThat(usage.get("maxQueuedJobs").asInt()).isEqualTo(2);
        assertThat(usage.get("maxRunningJobs").isNull()).as("no running limit by default").isTrue();
        assertThat(usage.get("overrides").get("maxQueuedJobs").asInt()).isEqualTo(2);

        // Another tenant is not held to quota-a's limit.
        assertThat(keyOf("quota-b").post("/api/jobs", SPEC).status()).isEqualTo(202);
    }

    @Test
    void concurrentSubmitsCannotBothTakeTheLastPlace() throws Exception {
        Api team = keyOf("quota-race");
        assertThat(admin.request("PUT", "/api/tenants/quota-race/quota", "{\"maxQueuedJobs\":5}").status()).isEqualTo(200);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(pool.submit(() -> team.post("/api/jobs", SPEC).status()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> a : answers) {
                statuses.add(a.get());
            }
            assertThat(statuses).filteredOn(s -> s == 202).hasSize(5);
            assertThat(statuses).filteredOn(s -> s == 429).hasSize(7);
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.queryForObject("SELECT COUNT(*) FROM training_job WHERE tenant = 'quota-race'", Integer.class)).isEqualTo(5);
    }

    @Test
    void quotasAreForAdminsOnly() {
        Api team = keyOf("quota-c");
        for (Api.Response r : List.of(team.get("/api/tenants/quota-c/quota"),
                team.request("PUT", "/api/tenants/quota-c/quota", "{\"maxQueuedJobs\":1000}"))) {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asString()).contains("admin");
        }
        assertThat(admin.get("/api/tenants/quota-c/quota").json().get("maxQueuedJobs").asInt())
                .as("the refused PUT changed nothing").isEqualTo(100);
        Api.Response bad = admin.request("PUT", "/api/tenants/quota-c/quota", "{\"maxQueuedJobs\":-1}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("maxQueuedJobs");
    }

    private int jobs() {
        return db.queryForObject("SELECT COUNT(*) FROM training_job", Integer.class);
    }
}
