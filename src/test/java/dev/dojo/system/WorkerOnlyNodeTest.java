package dev.dojo.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A worker-only node answers /api/** with a problem that points to an api node, and still serves /actuator/**. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/worker-only-${random.uuid}", "dojo.node-id=worker-only", "dojo.roles=worker"})
class WorkerOnlyNodeTest {

    @LocalServerPort
    int port;

    @Test
    void apiPathsAreRefusedWithAProblem() {
        Api api = new Api(port);
        for (String path : new String[] {"/api/jobs", "/api/tasks", "/api/jobs/x/logs"}) {
            Api.Response r = api.get(path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asString()).startsWith("this node is a worker; use an api node");
            assertThat(r.json().get("status").asInt()).isEqualTo(404);
        }
        assertThat(api.post("/api/jobs", "{\"task\":\"sine-regression\"}").status()).isEqualTo(404);
    }

    @Test
    void actuatorStillAnswers() {
        Api api = new Api(port);
        assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
        Api.Response prometheus = api.get("/actuator/prometheus");
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.text()).contains("dojo_workers_live");
    }
}
