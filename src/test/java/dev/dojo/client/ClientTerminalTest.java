package dev.dojo.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * {@code client run} on a real terminal (a pty that util-linux {@code script} gives it) and Ctrl-C
 * in both modes, against a real service on a random port (H2, the embedded worker): the bar redrawn
 * with carriage returns and an ETA; Ctrl-C on the terminal asks, "y" cancels the job (exit 2) and
 * Enter leaves it running (exit 130); SIGINT in CI (plain pipes) leaves it running (exit 130). Each
 * outcome is checked on the service over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "dojo.data-dir=target/test-data/client-terminal-${random.uuid}")
class ClientTerminalTest {

    private static final Duration GENEROUS = Duration.ofSeconds(180);
    /** Far longer than any test waits: the job is still running when the test presses Ctrl-C. */
    private static final String ENDLESS = "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":100000,\"hiddenUnits\":[16]}}";
    private static final String BAR = "\r\\[[#-]{24}\\] +\\d+% epoch \\d+/";

    @LocalServerPort
    int port;

    @TempDir
    Path dir;

    private String url() {
        return "http://127.0.0.1:" + port;
    }

    private String spec(String json) throws Exception {
        Path file = Files.createTempFile(dir, "spec", ".json");
        Files.writeString(file, json);
        return file.toString();
    }

    private JsonNode job(String id) {
        return new Api(port).get("/api/jobs/" + id).json();
    }

    /** Cleans up after a test that left its job running: cancels it and waits for the end. */
    private void cancel(String id) {
        new Api(port).post("/api/jobs/" + id + "/cancel", "");
        assertThat(new Api(port).await(id, 120).get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlaceWithAnEtaAndTheJobEndsOnStdout() throws Exception {
        try (Terminal t = Terminal.client("run", spec("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":3000,\"hiddenUnits\":[16]}}"),
                "--url", url())) {
            int exit = t.exit(GENEROUS);
            String screen = t.screen();

            assertThat(exit).as(screen).isZero();
            // Carriage-return redraws of one line: bar, percentage, epoch, loss, and an ETA in m:ss once the rate is known.
            assertThat(screen.split(BAR + "3000", -1).length - 1).as(screen).isGreaterThanOrEqualTo(2);
            assertThat(screen).containsPattern(BAR + "3000  train_loss \\S+  (fit_mse \\S+  )?ETA \\d+:\\d\\d");
            assertThat(screen).doesNotContain("dojo: epoch "); // The plain CI lines are for logs, not for a terminal.
            JsonNode job = Api.parse(t.json());
            assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(job.at("/progress/epoch").asInt()).isEqualTo(3000);
        }
    }

    @Test
    void ctrlCOnATerminalAsksAndYesCancelsTheJobAndExitsTwo() throws Exception {
        try (Terminal t = Terminal.client("run", spec(ENDLESS), "--url", url())) {
            String id = t.await("dojo: job (\\S+) QUEUED", GENEROUS).group(1);
            t.await(BAR, GENEROUS); // Running, and the bar is up: Ctrl-C now reaches the client's handler.
            t.type("\u0003");
            t.await("Cancel job " + id + "\\? \\[y/N\\] ", GENEROUS);
            t.type("y\n");
            int exit = t.exit(GENEROUS);

            assertThat(exit).as(t.screen()).isEqualTo(2);
            assertThat(job(id).get("status").asString()).isEqualTo("CANCELLED");
            assertThat(Api.parse(t.json()).get("status").asString()).as("the ended job on stdout").isEqualTo("CANCELLED");
            // The question had a line of its own: the bar was not drawn over it while it waited.
            assertThat(t.screen()).containsPattern("\r\nCancel job " + id + "\\? \\[y/N\\] y\r\n");
        }
    }

    @Test
    void ctrlCOnATerminalAnsweredWithEnterLeavesTheJobRunningAndExits130() throws Exception {
        String id;
        try (Terminal t = Terminal.client("run", spec(ENDLESS), "--url", url())) {
            id = t.await("dojo: job (\\S+) QUEUED", GENEROUS).group(1);
            t.await(BAR, GENEROUS);
            t.type("\u0003");
            t.await("Cancel job " + id + "\\? \\[y/N\\] ", GENEROUS);
            t.type("\n");
            int exit = t.exit(GENEROUS);

            assertThat(exit).as(t.screen()).isEqualTo(130);
            assertThat(t.screen()).contains("job " + id + " keeps running (client cancel " + id + " stops it)");
            assertThat(Api.parse(t.json()).get("status").asString()).as("the job as it stood, on stdout").isEqualTo("RUNNING");
        }
        JsonNode job = job(id);
        assertThat(job.get("status").asString()).isIn("QUEUED", "RUNNING");
        assertThat(job.get("cancelRequested").asBoolean()).isFalse();
        cancel(id);
    }

    @Test
    void sigintInCiWithoutATerminalLeavesTheJobRunningAndExits130() throws Exception {
        ClientProcess.Started started = ClientProcess.start(dir, "run", spec(ENDLESS), "--url", url());
        long until = System.nanoTime() + GENEROUS.toNanos();
        while (!started.errSoFar().contains("dojo: epoch ") && started.process().isAlive() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(started.process().isAlive()).as(started.errSoFar()).isTrue();
        String status = Files.readString(Path.of("/proc/" + started.process().pid() + "/status"));
        assertThat(status).as("SIGINT must not be ignored by the client's JVM (a shell's background job ignores it)")
                .containsPattern("SigIgn:\\s+[0-9a-f]*[014589cd]\\s");
        new ProcessBuilder("kill", "-INT", Long.toString(started.process().pid())).inheritIO().start().waitFor();
        ClientProcess.Result run = started.result();

        assertThat(run.exit()).as(run.toString()).isEqualTo(130);
        String id = run.json().get("id").asString();
        assertThat(run.json().get("status").asString()).as(run.toString()).isEqualTo("RUNNING");
        assertThat(run.err()).doesNotContain("Cancel job").contains("interrupted; job " + id + " keeps running");
        JsonNode job = job(id);
        assertThat(job.get("status").asString()).isIn(Set.of("QUEUED", "RUNNING"));
        assertThat(job.get("cancelRequested").asBoolean()).isFalse();
        cancel(id);
    }
}
