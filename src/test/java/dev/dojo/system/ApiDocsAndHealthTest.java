package dev.dojo.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Swagger UI and the OpenAPI document cover the API with examples; health has liveness and a readiness that checks the database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/docs-${random.uuid}", "dojo.roles=api"})
class ApiDocsAndHealthTest {

    @LocalServerPort
    int port;

    @Test
    void openApiDocumentCoversEveryEndpointWithExamples() {
        Api api = new Api(port);
        JsonNode doc = api.get("/v3/api-docs").json();
        JsonNode paths = doc.get("paths");
        for (String path : List.of("/api/jobs", "/api/jobs/{id}", "/api/jobs/{id}/cancel", "/api/jobs/{id}/metrics",
                "/api/jobs/{id}/checkpoints", "/api/jobs/{id}/checkpoints/{number}", "/api/jobs/{id}/predictions",
                "/api/jobs/{id}/model", "/api/jobs/{id}/evaluation", "/api/tasks", "/api/workers")) {
            assertThat(paths.has(path)).as("OpenAPI documents %s", path).isTrue();
        }
        JsonNode schemas = doc.at("/components/schemas");
        assertThat(schemas.at("/JobRequest/example/task").asString()).isEqualTo("sine-regression");
        assertThat(schemas.at("/JobRequest/example/hyperparameters/hiddenUnits/0").asInt()).isEqualTo(512);
        assertThat(schemas.at("/PredictRequest/example/instances/1").asDouble()).isEqualTo(-0.25);
        assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(200);
        assertThat(api.get("/swagger-ui.html").status()).isIn(200, 302);
    }

    @Test
    void healthHasLivenessAndAReadinessThatIncludesTheDatabase() {
        Api api = new Api(port);
        assertThat(api.get("/actuator/health/liveness").json().get("status").asString()).isEqualTo("UP");
        JsonNode readiness = api.get("/actuator/health/readiness").json();
        assertThat(readiness.get("status").asString()).isEqualTo("UP");
        assertThat(readiness.at("/components/db/status").asString()).isEqualTo("UP");
    }
}
