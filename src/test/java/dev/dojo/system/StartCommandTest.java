package dev.dojo.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import dev.dojo.support.Checkouts;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The README's first command, {@code ./dojo}, run as a newcomer runs it, in a checkout of its own
 * (pom.xml, the Maven wrapper, src/main and the script) with no jar in it and without
 * {@code GLIBC_TUNABLES} in its environment: it builds the jar, starts it with {@code java -jar} and
 * the pom's allocator setting, serves on the port it is given and trains a sine job; started again
 * with nothing changed, it does not build again.
 */
class StartCommandTest {

    @TempDir
    Path checkout;

    @Test
    void theReadmesFirstCommandBuildsTheJarOnceAndStartsItWithTheAllocatorSetting() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String firstCommand = readme.substring(readme.indexOf("```bash\n") + 8).lines().findFirst().orElseThrow();
        assertThat(firstCommand).startsWith("./dojo ");
        // What a clone holds for the build and the start: no target/, so the first start must build.
        Checkouts.copy(checkout, "pom.xml", "mvnw", "dojo", ".mvn", "src/main");

        Path firstLog = checkout.resolve("first.log");
        int port = freePort();
        Process first = start(port, firstLog);
        try {
            awaitHealth(port, first, firstLog, Duration.ofMinutes(8));
            String log = Files.readString(firstLog);
            assertThat(log).contains("dojo: building the jar");
            // bash execs java, so the process started is the service's JVM itself.
            String cmdline = Files.readString(Path.of("/proc/" + first.pid() + "/cmdline")).replace('\0', ' ');
            assertThat(cmdline).startsWith("java -jar target/run/dojo.jar --server.port=" + port);
            assertThat(log).contains("GLIBC_TUNABLES holds " + NativeAllocator.TUNABLES);

            Api api = new Api(port);
            String id = api.submit("{\"task\": \"sine-regression\", \"hyperparameters\": {\"epochs\": 50}}");
            JsonNode done = api.await(id, 60);
            assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
        } finally {
            stop(first);
        }

        Path secondLog = checkout.resolve("second.log");
        Process second = start(port, secondLog);
        try {
            awaitHealth(port, second, secondLog, Duration.ofMinutes(3));
            assertThat(Files.readString(secondLog)).doesNotContain("dojo: building the jar");
            assertThat(new Api(port).get("/api/jobs").json().get("totalItems").asLong()).isEqualTo(1);
        } finally {
            stop(second);
        }
    }

    private Process start(int port, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("./dojo", "--server.port=" + port, "--dojo.data-dir=" + checkout.resolve("data"))
                .directory(checkout.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // The script must set it itself; surefire gives this JVM (and so its children) the pom's value.
        pb.environment().remove("GLIBC_TUNABLES");
        return pb.start();
    }

    private static void awaitHealth(int port, Process process, Path log, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("./dojo exited with " + process.exitValue() + ":\n" + tail(log));
            }
            try {
                if (new Api(port).get("/actuator/health").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("./dojo not healthy on port " + port + " within " + limit + ":\n" + tail(log));
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
