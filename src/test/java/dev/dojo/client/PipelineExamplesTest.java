package dev.dojo.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import dev.dojo.support.Checkouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The GitHub Actions and GitLab CI examples of docs/client.md, run as written: their YAML is parsed
 * (SnakeYAML), and their shell lines run with bash, in order, in a workspace that holds what a
 * checkout holds for the build (pom.xml, the Maven wrapper, src/main), against this service with a
 * real key in {@code DOJO_KEY}. Only what the CI system provides is made up: run ids and a commit
 * sha. The build line really builds the jar that the later lines run with {@code java -jar}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/pipeline-${random.uuid}",
                "dojo.security.bootstrap-key=" + PipelineExamplesTest.BOOTSTRAP})
class PipelineExamplesTest {

    static final String BOOTSTRAP = "pipeline-examples-bootstrap-key-0123456789";
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([^}]+?)\\s*}}");

    @LocalServerPort
    int port;

    @TempDir
    Path workspace;

    /** The first test's target/, handed to the next checkout so that its build line finds the build up to date. */
    @TempDir
    static Path buildCache;

    private final Map<String, String> env = new HashMap<>();

    private static String doc() throws IOException {
        return Files.readString(Path.of("docs/client.md"));
    }

    /** The fenced blocks of one language, in order. */
    private static List<String> blocks(String language) throws IOException {
        Matcher m = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(doc());
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** What actions/checkout (or GitLab's clone) gives the build: the repository's build files and main sources. */
    private void checkout() throws IOException {
        Checkouts.copy(workspace, "pom.xml", "mvnw", ".mvn", "src/main");
        Checkouts.copyTree(buildCache.resolve("target"), workspace.resolve("target"));
        String model = blocks("json").stream().filter(b -> b.contains("\"gates\"")).findFirst()
                .orElseThrow(() -> new AssertionError("docs/client.md shows no model.json"));
        Files.writeString(workspace.resolve("model.json"), model);
        Api.NewKey key = new Api(port).withKey(BOOTSTRAP).createKey("pipelines", "jobs:read", "jobs:write");
        env.put("DOJO_URL", "http://127.0.0.1:" + port);
        env.put("DOJO_KEY", key.key());
    }

    /**
     * Keeps this workspace's build for the next test, as a CI cache of target/ would: the build line
     * still runs in every test, and Maven then finds the classes up to date instead of compiling the
     * whole service again.
     */
    @org.junit.jupiter.api.AfterEach
    void keepBuild() throws IOException {
        if (Files.isDirectory(workspace.resolve("target")) && !Files.isDirectory(buildCache.resolve("target"))) {
            Checkouts.copyTree(workspace.resolve("target"), buildCache.resolve("target"));
        }
    }

    /** One shell step, as the CI system runs it: bash with errexit (and pipefail, as GitHub does). */
    private int bash(String script, Map<String, String> extra) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
                .directory(workspace.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workspace.resolve("ci.log").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("MAVEN_") || k.startsWith("DOJO_"));
        pb.environment().putAll(env);
        pb.environment().putAll(extra);
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("a step ran over 10 minutes: " + script + "\n" + log());
        }
        return p.exitValue();
    }

    private String log() throws IOException {
        Path log = workspace.resolve("ci.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void assertArtifacts(String status) throws IOException {
        JsonNode job = Api.parse(Files.readString(workspace.resolve("job.json")));
        assertThat(job.get("status").asString()).as(log()).isEqualTo(status);
        byte[] st = Files.readAllBytes(workspace.resolve("model.safetensors"));
        long header = java.nio.ByteBuffer.wrap(st, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(new String(st, 8, (int) header, StandardCharsets.UTF_8)).contains("layers.0.weight");
        assertThat(Files.readString(workspace.resolve("loss.svg"))).contains("<svg");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGitHubActionsWorkflowTrainsGatesAndLeavesItsArtifacts() throws Exception {
        Map<String, Object> workflow = new Yaml().load(blocks("yaml").get(0));
        Map<String, Object> job = (Map<String, Object>) ((Map<String, Object>) workflow.get("jobs")).get("train");
        Map<String, String> context = Map.of("secrets.DOJO_URL", "http://127.0.0.1:" + port, "github.run_id", "4242",
                "github.run_attempt", "1", "github.sha", "0123456789abcdef0123456789abcdef01234567");
        checkout();
        Map<String, String> secrets = new HashMap<>(context);
        secrets.put("secrets.DOJO_KEY", env.get("DOJO_KEY"));
        for (Map.Entry<String, Object> e : ((Map<String, Object>) job.get("env")).entrySet()) {
            env.put(e.getKey(), expand(String.valueOf(e.getValue()), secrets));
        }
        boolean failed = false;
        List<String> uploaded = List.of();
        for (Map<String, Object> step : (List<Map<String, Object>>) job.get("steps")) {
            String condition = (String) step.get("if");
            boolean runs = condition == null ? !failed : switch (condition) {
                case "always()" -> true;
                case "always() && hashFiles('job.json') != ''" -> Files.exists(workspace.resolve("job.json"));
                default -> throw new AssertionError("a condition this test does not know: " + condition);
            };
            if (!runs) {
                continue;
            }
            if (step.containsKey("run")) {
                int exit = bash(expand((String) step.get("run"), secrets), Map.of());
                assertThat(exit).as(step.get("name") + "\n" + log()).isZero();
                failed |= exit != 0;
            } else if (String.valueOf(step.get("uses")).startsWith("actions/upload-artifact@")) {
                uploaded = ((String) ((Map<String, Object>) step.get("with")).get("path")).strip().lines().map(String::strip).toList();
            }
        }
        assertThat(uploaded).containsExactly("job.json", "model.safetensors", "loss.svg");
        uploaded.forEach(f -> assertThat(workspace.resolve(f)).as(f).isNotEmptyFile());
        assertArtifacts("SUCCEEDED");
        JsonNode labelled = new Api(port).withKey(env.get("DOJO_KEY")).get("/api/jobs?label=git.sha%3D" + context.get("github.sha")).json();
        assertThat(labelled.get("items").size()).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGitLabJobTrainsAndItsAfterScriptKeepsTheArtifactsEvenWhenTheGateMisses() throws Exception {
        Map<String, Object> train = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(blocks("yaml").get(1))).get("train");
        checkout();
        Map<String, String> ci = new HashMap<>(Map.of("CI_PIPELINE_ID", "77", "CI_JOB_ID", "1001", "CI_COMMIT_SHA", "89abcdef"));
        ((Map<String, Object>) train.get("variables")).forEach((k, v) -> ci.put(k, String.valueOf(v)));
        List<String> script = (List<String>) train.get("script");
        List<String> afterScript = (List<String>) train.get("after_script");
        assertThat(script(script, ci)).as(log()).isZero();
        afterScript(afterScript, ci);
        assertThat((List<String>) ((Map<String, Object>) train.get("artifacts")).get("paths"))
                .containsExactly("job.json", "model.safetensors", "loss.svg");
        assertArtifacts("SUCCEEDED");

        // The same job with a gate no model meets: the script fails with exit 1, and after_script still exports.
        for (String f : List.of("job.json", "model.safetensors", "loss.svg")) {
            Files.delete(workspace.resolve(f));
        }
        Files.writeString(workspace.resolve("model.json"), Files.readString(workspace.resolve("model.json")).replace("0.05", "1e-12"));
        ci.put("CI_JOB_ID", "1002");
        assertThat(script(script, ci)).as(log()).isEqualTo(1);
        afterScript(afterScript, ci);
        assertArtifacts("FAILED");
    }

    /** GitLab's script: one shell, the lines in order, stopping at the first that fails; its exit code. */
    private int script(List<String> lines, Map<String, String> ci) throws Exception {
        return bash(String.join("\n", lines), ci);
    }

    /** GitLab's after_script: a shell of its own, whatever the script did; its failure does not fail the job. */
    private void afterScript(List<String> lines, Map<String, String> ci) throws Exception {
        bash(String.join("\n", lines), ci);
    }

    /** GitHub's ${{ ... }} expressions: only the contexts the CI system provides, else the test fails. */
    private static String expand(String text, Map<String, String> context) {
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = context.get(m.group(1));
            if (value == null) {
                throw new AssertionError("an expression this test does not provide: " + m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }
}
