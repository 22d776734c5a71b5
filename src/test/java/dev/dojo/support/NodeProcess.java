package dev.dojo.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Dojo node in its own JVM, started from the test classpath: a real process that tests can
 * stop with SIGTERM, kill with SIGKILL, freeze with SIGSTOP and thaw with SIGCONT.
 */
public final class NodeProcess implements AutoCloseable {

    private final String name;
    private final List<String> args;
    /** False: the node is given no dojo.node-id and no HOSTNAME, and picks its id itself. */
    private final boolean named;
    private int port;
    private Process process;
    private Path log;
    private int relaunches;
    /** Set by {@link #restart}: the next launches keep the port, so that clients find the node where it was. */
    private boolean keepPort;

    private NodeProcess(String name, List<String> args, boolean named) {
        this.name = name;
        this.args = List.copyOf(args);
        this.named = named;
    }

    /** Starts a node; {@code args} are Spring arguments such as {@code --dojo.roles=worker}. Its node id is {@code name}. */
    public static NodeProcess start(String name, List<String> args) {
        NodeProcess node = new NodeProcess(name, args, true);
        node.launch();
        return node;
    }

    /**
     * Starts a node as a user would on a machine without a host name: no {@code dojo.node-id} and no
     * {@code HOSTNAME} in its environment, so that it picks its own id. {@code name} names its log only.
     */
    public static NodeProcess startWithDefaultNodeId(String name, List<String> args) {
        NodeProcess node = new NodeProcess(name, args, false);
        node.launch();
        return node;
    }

    /**
     * Starts the JVM on a port that was free a moment ago. Another process can take that port
     * before the node binds it; {@link #awaitReady} then launches it again on a new one.
     */
    private void launch() {
        try {
            if (!keepPort) {
                port = freePort();
            }
            Path logDir = Path.of("target", "node-logs");
            Files.createDirectories(logDir);
            log = logDir.resolve(name + "-" + System.currentTimeMillis() + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:TieredStopAtLevel=1",
                    "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                    "-cp", System.getProperty("java.class.path"), "dev.dojo.DojoApplication",
                    "--server.port=" + port,
                    "--dojo.data-dir=target/test-data/" + name + "-" + port,
                    "--logging.level.dev.dojo=INFO"));
            if (named) {
                command.add("--dojo.node-id=" + name);
            }
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            if (!named) {
                builder.environment().remove("HOSTNAME");
                builder.environment().remove("DOJO_NODE_ID");
            }
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean lostItsPort() {
        try {
            return Files.readString(log).contains("Port " + port + " was already in use");
        } catch (IOException e) {
            return false;
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Blocks until the node answers its health endpoint with UP. */
    public NodeProcess awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                if (lostItsPort() && relaunches++ < 3) {
                    launch();
                    continue;
                }
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("UP")) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
    }

    public void signal(String signal) {
        try {
            int rc = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (rc != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited " + rc);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL: the JVM dies on the spot, no shutdown hook runs. */
    public void kill9() {
        signal("KILL");
        waitForExit(Duration.ofSeconds(10));
    }

    /** SIGTERM, then wait for the JVM to exit on its own; returns its exit code. */
    public int terminate(Duration timeout) {
        signal("TERM");
        return waitForExit(timeout);
    }

    /**
     * Stops the JVM with SIGTERM and starts a new one with the same arguments, node id, data
     * directory and port, without waiting for it ({@link #awaitReady} does): the node restarted in place.
     */
    public NodeProcess restart(Duration stopTimeout) {
        terminate(stopTimeout);
        keepPort = true;
        relaunches = 0;
        launch();
        return this;
    }

    public int waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not exit within " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            signal("CONT");
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
