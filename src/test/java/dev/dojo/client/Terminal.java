package dev.dojo.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client on a real pseudo-terminal: util-linux {@code script} (Debian's bsdutils) runs it with a
 * pty as its standard streams and controlling terminal, so {@code System.console()} is there. What
 * the test writes to script's stdin is typed into the pty (a 0x03 byte becomes SIGINT for the
 * client, by the pty's line discipline); what script prints is the terminal's screen, stdout and
 * stderr together, with the pty's CR LF line ends.
 */
final class Terminal implements AutoCloseable {

    static final String SCRIPT = "/usr/bin/script";

    private final Process process;
    private final OutputStream keys;
    private final StringBuffer screen = new StringBuffer();

    private Terminal(Process process) {
        this.process = process;
        this.keys = process.getOutputStream();
        Thread reader = new Thread(() -> read(process.getInputStream()), "terminal-screen");
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code DojoApplication client ARGS} in a JVM of its own, on a pty. */
    static Terminal client(String... args) throws IOException {
        if (!Files.isExecutable(Path.of(SCRIPT))) {
            throw new AssertionError(SCRIPT + " is missing: apt-get install bsdutils (.ci/run installs it)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.dojo.DojoApplication", "client"));
        command.addAll(List.of(args));
        // env puts SIGINT back to its default: a suite started in the background (as CI may start it)
        // passes SIGINT on ignored, and a JVM that starts with it ignored never sees Ctrl-C.
        StringBuilder line = new StringBuilder("exec /usr/bin/env --default-signal=INT");
        command.forEach(word -> line.append(" '").append(word.replace("'", "'\\''")).append('\''));
        // -q: no start and end notes; -f: flush at once; -e: script exits with the client's code; -c: the command.
        ProcessBuilder pb = new ProcessBuilder(SCRIPT, "-qfec", line.toString(), "/dev/null").redirectErrorStream(true);
        pb.environment().remove("DOJO_URL");
        pb.environment().remove("DOJO_KEY");
        pb.environment().put("TERM", "dumb");
        return new Terminal(pb.start());
    }

    private void read(InputStream in) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                screen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // script ended
        }
    }

    /** Types into the terminal. */
    void type(String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    String screen() {
        return screen.toString();
    }

    /** Waits (generously) until the screen matches {@code regex}; returns the first match. */
    Matcher await(String regex, Duration timeout) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            Matcher m = pattern.matcher(screen());
            if (m.find()) {
                return m;
            }
            if (!process.isAlive()) {
                Thread.sleep(200); // The last bytes may still be on their way.
                Matcher last = pattern.matcher(screen());
                if (last.find()) {
                    return last;
                }
                throw new AssertionError("the client ended (" + process.exitValue() + ") without printing /" + regex + "/:\n" + screen());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no /" + regex + "/ on the terminal in " + timeout + ":\n" + screen());
    }

    /** Waits for the client (and script) to exit; its exit code. */
    int exit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the client did not end in " + timeout + ":\n" + screen());
        }
        Thread.sleep(200);
        return process.exitValue();
    }

    /** The job JSON that the client printed on stdout: from the first line that is only "{" to the last "}". */
    String json() {
        String s = screen().replace("\r\n", "\n");
        int start = s.startsWith("{\n") ? 0 : s.indexOf("\n{\n") + 1;
        int end = s.lastIndexOf("\n}") + 2;
        if (start <= 0 && !s.startsWith("{\n") || end < start) {
            throw new AssertionError("no job JSON on the terminal:\n" + screen());
        }
        return s.substring(start, end);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
