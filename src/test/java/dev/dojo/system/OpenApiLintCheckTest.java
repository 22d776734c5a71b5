package dev.dojo.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dojo.support.OpenApiLint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The lint check itself, on small hand-written documents: a sound one passes, and one whose
 * operation lists no 4xx answer, or lists one without a problem body, fails; a linter that is not
 * installed fails the check rather than skipping it.
 */
class OpenApiLintCheckTest {

    private static final Path DIR = Path.of("target/openapi-lint-check");

    /** One operation with a success and a 401 problem; {@code %s} is its 4xx answers. */
    private static final String DOCUMENT = """
            {
              "openapi": "3.1.0",
              "info": {"title": "Check", "version": "1", "description": "A document for the lint check.",
                       "license": {"name": "Apache License 2.0", "identifier": "Apache-2.0"}},
              "servers": [{"url": "/"}],
              "security": [{"bearerKey": []}],
              "paths": {
                "/things": {
                  "get": {
                    "operationId": "listThings",
                    "summary": "List things",
                    "responses": {
                      "200": {"description": "The things",
                              "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}}%s
                    }
                  }
                }
              },
              "components": {
                "securitySchemes": {"bearerKey": {"type": "http", "scheme": "bearer"}},
                "schemas": {
                  "ProblemDetail": {"type": "object", "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                                    "status": {"type": "integer"}}}
                }
              }
            }
            """;

    private static final String PROBLEM_401 = """
            ,
                      "401": {"description": "No key",
                              "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}}}""";

    @Test
    void aSoundDocumentPasses() throws IOException {
        OpenApiLint.Result result = OpenApiLint.lint(write("sound.json", DOCUMENT.formatted(PROBLEM_401)));
        assertThat(result.clean()).as("%s", result).isTrue();
    }

    @Test
    void anOperationWithNo4xxAnswerFails() throws IOException {
        OpenApiLint.Result result = OpenApiLint.lint(write("no-4xx.json", DOCUMENT.formatted("")));
        assertThat(result.clean()).as("%s", result).isFalse();
        assertThat(result.findings()).anyMatch(f -> f.contains("operation-4xx-response") && f.contains("~1things/get"));
    }

    @Test
    void a4xxAnswerWithoutAProblemBodyFails() throws IOException {
        String notAProblem = PROBLEM_401.replace("application/problem+json", "application/json");
        OpenApiLint.Result result = OpenApiLint.lint(write("not-a-problem.json", DOCUMENT.formatted(notAProblem)));
        assertThat(result.errors()).as("%s", result).isPositive();
        assertThat(result.findings()).anyMatch(f -> f.contains("operation-4xx-problem-details-rfc7807"));
    }

    @Test
    void aLinterThatIsNotInstalledFailsAndSaysWhatToRun() throws IOException {
        Path empty = Files.createDirectories(DIR.resolve("no-linter"));
        Files.copy(OpenApiLint.FOLDER.resolve("package.json"), empty.resolve("package.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path document = write("sound-again.json", DOCUMENT.formatted(PROBLEM_401));
        assertThatThrownBy(() -> OpenApiLint.lint(empty, document))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("run `npm ci` in " + empty);
    }

    private static Path write(String name, String json) throws IOException {
        Files.createDirectories(DIR);
        return Files.writeString(DIR.resolve(name), json);
    }
}
