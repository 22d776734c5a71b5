package dev.dojo.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.DojoApplication;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The json-logs profile turns console lines into JSON objects (ECS) that a log collector can parse. */
@ExtendWith(OutputCaptureExtension.class)
class JsonLogsProfileTest {

    @Test
    void startupLinesAreJson(CapturedOutput output) {
        // An api-only node: no worker threads, so the context starts and stops quickly.
        try (ConfigurableApplicationContext ignored = new SpringApplicationBuilder(DojoApplication.class)
                .web(WebApplicationType.NONE)
                .run("--spring.profiles.active=json-logs", "--dojo.roles=api", "--dojo.node-id=json-logs",
                        "--dojo.data-dir=target/test-data/json-logs-" + System.nanoTime())) {
            List<String> lines = output.getOut().lines().filter(l -> l.contains("\"message\":\"Started ")).toList();
            assertThat(lines).isNotEmpty();
            JsonNode line = JsonMapper.builder().build().readTree(lines.get(0));
            assertThat(line.get("message").asString()).startsWith("Started ");
            assertThat(line.at("/log/level").asString()).isEqualTo("INFO");
            assertThat(line.get("@timestamp").asString()).isNotBlank();
            assertThat(line.at("/service/name").asString()).isEqualTo("dojo");
        }
    }
}
