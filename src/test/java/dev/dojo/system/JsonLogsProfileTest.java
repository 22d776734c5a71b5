package dev.dojo.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.NodeProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The json-logs profile turns console lines into JSON objects (ECS) that a log collector can parse.
 * The node runs in its own JVM, as in production: logging is set up once per process, so a context
 * inside the test JVM would inherit whatever the earlier tests configured.
 */
class JsonLogsProfileTest {

    @Test
    void startupLinesAreJson() {
        try (NodeProcess node = NodeProcess.start("json-logs", List.of("--spring.profiles.active=json-logs", "--dojo.roles=api"))) {
            node.awaitReady(Duration.ofMinutes(3));
            List<String> lines = node.logText().lines().filter(l -> l.contains("\"message\":\"Started ")).toList();
            assertThat(lines).as(node.logText()).isNotEmpty();
            JsonNode line = JsonMapper.builder().build().readTree(lines.get(0));
            assertThat(line.get("message").asString()).startsWith("Started ");
            assertThat(line.at("/log/level").asString()).isEqualTo("INFO");
            assertThat(line.get("@timestamp").asString()).isNotBlank();
            assertThat(line.at("/service/name").asString()).isEqualTo("dojo");
        }
    }
}
