package dev.dojo.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the OpenAPI linter pinned in {@code src/test/openapi-lint} (Redocly CLI, with that folder's
 * {@code redocly.yaml}) on a document, with {@code node} from the PATH and the CLI from that folder's
 * {@code node_modules}. A linter that is missing or not the pinned version is a failure that says to
 * run {@code npm ci} there, never a skip.
 */
public final class OpenApiLint {

    /** Where the linter is pinned: package.json, package-lock.json and redocly.yaml. */
    public static final Path FOLDER = Path.of("src/test/openapi-lint");
    private static final String CLI = "node_modules/@redocly/cli";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What the linter found: counts, and one line per finding (severity, rule, where, what). */
    public record Result(int errors, int warnings, List<String> findings) {

        public boolean clean() {
            return errors == 0 && warnings == 0;
        }

        @Override
        public String toString() {
            return errors + " errors, " + warnings + " warnings" + (findings.isEmpty() ? "" : ":\n  " + String.join("\n  ", findings));
        }
    }

    private OpenApiLint() {}

    /** Lints {@code document} with the linter of {@link #FOLDER}. */
    public static Result lint(Path document) {
        return lint(FOLDER, document);
    }

    /** Lints {@code document} with the linter pinned in {@code folder}. */
    public static Result lint(Path folder, Path document) {
        Path cli = folder.resolve(CLI).resolve("bin/cli.js");
        String pinned = pinnedVersion(folder);
        String installed = installedVersion(folder);
        if (!Files.isRegularFile(cli) || installed == null) {
            throw new AssertionError("The OpenAPI linter is not installed: run `npm ci` in " + folder
                    + " (.ci/run does it before the test suite).");
        }
        if (!installed.equals(pinned)) {
            throw new AssertionError("The OpenAPI linter in " + folder + "/node_modules is " + installed + ", not the pinned "
                    + pinned + ": run `npm ci` in " + folder + ".");
        }
        ProcessBuilder builder = new ProcessBuilder("node", cli.toAbsolutePath().toString(), "lint",
                "--config", folder.resolve("redocly.yaml").toAbsolutePath().toString(),
                "--format=json", document.toAbsolutePath().toString())
                .directory(folder.toFile());
        // No usage report and no update check leave this machine; plain output.
        builder.environment().put("REDOCLY_TELEMETRY", "off");
        builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        builder.environment().put("NO_COLOR", "1");
        try {
            Path out = Files.createTempFile("openapi-lint", ".json");
            Path err = Files.createTempFile("openapi-lint", ".err");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new AssertionError("Cannot run node (Node.js 20.19 or later must be on the PATH): " + e.getMessage(), e);
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("The OpenAPI linter did not finish within 120 s");
            }
            String stdout = Files.readString(out);
            String stderr = Files.readString(err);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return parse(stdout, "exit " + process.exitValue() + "; stderr:\n" + stderr);
        } catch (IOException e) {
            throw new AssertionError("Running the OpenAPI linter failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while the OpenAPI linter ran", e);
        }
    }

    private static Result parse(String stdout, String context) {
        JsonNode report;
        try {
            report = JSON.readTree(stdout);
        } catch (RuntimeException e) {
            throw new AssertionError("The OpenAPI linter wrote no report (" + context + ")\nstdout:\n" + stdout, e);
        }
        JsonNode totals = report.path("totals");
        if (!totals.has("errors") || !totals.has("warnings")) {
            throw new AssertionError("The OpenAPI linter's report has no totals (" + context + ")\nstdout:\n" + stdout);
        }
        List<String> findings = new ArrayList<>();
        for (JsonNode p : report.path("problems")) {
            String where = p.path("location").path(0).path("pointer").asString("");
            findings.add(p.path("severity").asString() + " " + p.path("ruleId").asString() + " at " + where + ": "
                    + p.path("message").asString());
        }
        return new Result(totals.get("errors").asInt(), totals.get("warnings").asInt(), findings);
    }

    private static String pinnedVersion(Path folder) {
        try {
            return JSON.readTree(folder.resolve("package.json").toFile()).path("devDependencies").path("@redocly/cli").asString();
        } catch (RuntimeException e) {
            throw new AssertionError("Cannot read " + folder.resolve("package.json") + ": " + e.getMessage(), e);
        }
    }

    private static String installedVersion(Path folder) {
        Path manifest = folder.resolve(CLI).resolve("package.json");
        return Files.isRegularFile(manifest) ? JSON.readTree(manifest.toFile()).path("version").asString() : null;
    }
}
