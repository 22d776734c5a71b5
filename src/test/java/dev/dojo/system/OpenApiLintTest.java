package dev.dojo.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.OpenApiLint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The OpenAPI document as the service serves it passes the pinned linter's recommended rules with no
 * error and no warning (src/test/openapi-lint, docs/api.md). The document is left in
 * target/openapi/api-docs.json for a look at what was linted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/openapi-${random.uuid}", "dojo.roles=api",
        "dojo.security.bootstrap-key=" + OpenApiDocumentTest.BOOTSTRAP_KEY, "dojo.limits.max-body-size=1KB"})
class OpenApiLintTest {

    @LocalServerPort
    int port;

    @Test
    void theLinterFindsNoErrorAndNoWarningInTheServedDocument() throws IOException, InterruptedException {
        HttpResponse<String> docs = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(docs.statusCode()).isEqualTo(200);
        Path document = Files.createDirectories(Path.of("target/openapi")).resolve("api-docs.json");
        Files.writeString(document, docs.body());

        OpenApiLint.Result result = OpenApiLint.lint(document);

        assertThat(result.clean()).as("the linter's findings in %s: %s", document, result).isTrue();
    }
}
