package dev.dojo.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The client as a pipeline runs it: a separate JVM, {@code DojoApplication client ...}, its output captured. */
final class ClientProcess {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Result(int exit, String out, String err) {
        JsonNode json() {
            return JSON.readTree(out);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private ClientProcess() {
    }

    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        return start(dir, args).result();
    }

    /** A client started and not yet waited for; its stderr can be read while it runs. */
    record Started(Process process, Path out, Path err) {
        String errSoFar() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        Result result() throws IOException, InterruptedException {
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the client did not end in 300 s: " + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        }
    }

    static Started start(Path dir, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // env puts SIGINT back to its default (a suite started in the background passes it on ignored),
        // so that the client reacts to SIGINT as it does when a user or a CI runner starts it.
        List<String> command = new ArrayList<>(List.of("/usr/bin/env", "--default-signal=INT", java, "-cp", System.getProperty("java.class.path"),
                "dev.dojo.DojoApplication", "client"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("DOJO_URL");
        pb.environment().remove("DOJO_KEY");
        return new Started(pb.start(), out, err);
    }
}
