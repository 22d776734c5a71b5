package dev.dojo.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The command-line client run as a separate process, as a CI step runs it, against a real service
 * on a random port (H2, the embedded worker training short sine jobs): each exit code, the plain
 * progress lines of a CI log, and idempotent retries.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "dojo.data-dir=target/test-data/client-${random.uuid}")
class ClientTest {

    private static final String SHORT = "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":30,\"hiddenUnits\":[16],\"seed\":1}";

    @LocalServerPort
    int port;

    @TempDir
    Path dir;

    private String url() {
        return "http://localhost:" + port;
    }

    private Path spec(String json) throws Exception {
        Path file = Files.createTempFile(dir, "spec", ".json");
        Files.writeString(file, json);
        return file;
    }

    private ClientProcess.Result client(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = url();
        return ClientProcess.run(dir, all);
    }

    @Test
    void aJobThatSucceedsExitsZeroWithTheJobOnStdoutAndPlainProgressLines() throws Exception {
        ClientProcess.Result run = client("run", spec(SHORT + "}").toString(), "--label", "git.sha=abc123", "--label", "ci=yes");

        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode job = run.json();
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.at("/spec/labels/git.sha").asString()).as(job.toString()).isEqualTo("abc123");
        assertThat(job.at("/spec/labels/ci").asString()).isEqualTo("yes");
        // Not a terminal: plain lines, no carriage returns; 30 epochs give one line per 10%, not per epoch.
        assertThat(run.err()).doesNotContain("\r").contains("idempotency key ").contains("SUCCEEDED");
        long epochLines = run.err().lines().filter(l -> l.startsWith("dojo: epoch ")).count();
        assertThat(epochLines).as(run.err()).isBetween(1L, 11L);
        assertThat(run.err()).containsPattern("dojo: epoch \\d+/30 +\\d+%  train_loss \\S+  (fit_mse \\S+  )?eta ");

        String id = job.get("id").asString();
        ClientProcess.Result get = client("get", id);
        assertThat(get.exit()).as(get.toString()).isZero();
        assertThat(get.json().get("id").asString()).isEqualTo(id);
        ClientProcess.Result wait = client("wait", id, "--timeout", "10s");
        assertThat(wait.exit()).as(wait.toString()).isZero();

        ClientProcess.Result logs = client("logs", id, "--follow");
        assertThat(logs.exit()).as(logs.toString()).isZero();
        assertThat(logs.out()).contains("[attempt 1]");

        Path weights = dir.resolve("weights.safetensors");
        ClientProcess.Result export = client("export", id, "--out", weights.toString());
        assertThat(export.exit()).as(export.toString()).isZero();
        byte[] st = Files.readAllBytes(weights);
        long headerLength = java.nio.ByteBuffer.wrap(st, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(new String(st, 8, (int) headerLength, StandardCharsets.UTF_8)).contains("layers.0.weight");

        Path zip = dir.resolve("latest.zip");
        ClientProcess.Result download = client("download", id, "--out", zip.toString());
        assertThat(download.exit()).as(download.toString()).isZero();
        assertThat(new String(Files.readAllBytes(zip), 0, 2, StandardCharsets.US_ASCII)).isEqualTo("PK");

        ClientProcess.Result predict = client("predict", id, "--instances", "[[0.5],[1.0]]");
        assertThat(predict.exit()).as(predict.toString()).isZero();
        assertThat(predict.json().get("predictions").size()).isEqualTo(2);
    }

    @Test
    void aJobThatMissesAGateExitsOne() throws Exception {
        ClientProcess.Result run = client("run", spec(SHORT + ",\"gates\":[{\"metric\":\"train_loss\",\"max\":1e-12}]}").toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.json().get("status").asString()).isEqualTo("FAILED");
        assertThat(run.json().get("failureReason").asString()).startsWith("GATE");
        assertThat(run.err()).contains("GATE");
    }

    @Test
    void aTimeoutExitsTwoAndSoDoesACancelledJob() throws Exception {
        ClientProcess.Result run = client("run", spec("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":100000}}").toString(),
                "--timeout", "1s");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        String id = run.json().get("id").asString();
        assertThat(run.err()).contains("timed out").contains("client cancel " + id);

        ClientProcess.Result cancel = client("cancel", id);
        assertThat(cancel.exit()).as(cancel.toString()).isZero();
        ClientProcess.Result wait = client("wait", id, "--timeout", "120s");
        assertThat(wait.exit()).as(wait.toString()).isEqualTo(2);
        assertThat(wait.json().get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void theSameIdempotencyKeyTwiceGivesOneJob() throws Exception {
        String key = "ci-" + UUID.randomUUID();
        Path spec = spec(SHORT + "}");
        ClientProcess.Result first = client("run", spec.toString(), "--idempotency-key", key);
        ClientProcess.Result again = client("run", spec.toString(), "--idempotency-key", key);

        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        assertThat(first.err()).doesNotContain("idempotency key ");
    }

    @Test
    void aSpecTheServiceRefusesExitsThreeNamingTheField() throws Exception {
        ClientProcess.Result run = client("run", spec("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":-1}}").toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().filter(l -> l.startsWith("dojo: HTTP")).findFirst()).get().asString()
                .startsWith("dojo: HTTP 400").contains("epochs");
    }

    @Test
    void anUnreachableServiceExitsThree() throws Exception {
        ClientProcess.Result run = ClientProcess.run(dir, "get", "some-job", "--url", "http://127.0.0.1:1");

        assertThat(run.exit()).as(run.toString()).isEqualTo(3);
        assertThat(run.err().strip()).startsWith("dojo: cannot reach http://127.0.0.1:1").doesNotContain("\n");
    }

    @Test
    void badUsageAndUnknownJobsExitThree() throws Exception {
        for (String[] args : new String[][] {{}, {"frobnicate"}, {"run"}, {"run", "/no/such/spec.json"}, {"wait", "x", "--timeout", "soon"},
                {"get", "x", "--bogus", "1"}, {"export", "x"}}) {
            ClientProcess.Result r = ClientProcess.run(dir, args);
            assertThat(r.exit()).as(String.join(" ", args) + "\n" + r).isEqualTo(3);
            assertThat(r.err()).as(String.join(" ", args)).isNotBlank();
        }
        ClientProcess.Result missing = client("get", "no-such-job");
        assertThat(missing.exit()).as(missing.toString()).isEqualTo(3);
        assertThat(missing.err()).startsWith("dojo: HTTP 404");
    }

    @Test
    void aConnectionCutMidRunIsResumedAndEndsInOneJobAndExitZero() throws Exception {
        String label = "drop-" + UUID.randomUUID();
        try (CuttingProxy proxy = new CuttingProxy(port)) {
            ClientProcess.Started started = ClientProcess.start(dir, "run",
                    spec("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":4000,\"hiddenUnits\":[16]}}").toString(),
                    "--label", "test=" + label, "--url", "http://127.0.0.1:" + proxy.port(), "--timeout", "240s");
            // Cut once the stream is under way: after the first progress line.
            long until = System.nanoTime() + 120_000_000_000L;
            while (!started.errSoFar().contains("dojo: epoch ") && started.process().isAlive() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(started.process().isAlive()).as(started.errSoFar()).isTrue();
            proxy.cutAll();
            ClientProcess.Result run = started.result();

            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.json().get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(run.err()).contains("connection lost").contains("from event ");
        }
        JsonNode jobs = new dev.dojo.support.Api(port).get("/api/jobs?label=" + java.net.URLEncoder.encode("test=" + label, StandardCharsets.UTF_8)).json();
        assertThat(jobs.get("items").size()).as(jobs.toString()).isEqualTo(1);
    }
}
