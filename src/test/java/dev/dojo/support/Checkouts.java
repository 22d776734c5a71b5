package dev.dojo.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copies of the repository's own files in a test's directory, as a clone or a CI checkout holds them. */
public final class Checkouts {

    private Checkouts() {
    }

    /**
     * Copies each of {@code paths} (files or whole trees, relative to the repository root) to the
     * same place under {@code to}, keeping their attributes, so that scripts stay executable.
     */
    public static void copy(Path to, String... paths) throws IOException {
        for (String path : paths) {
            copyTree(Path.of(path), to.resolve(path));
        }
    }

    /** Copies {@code from}, a file or a tree, to {@code to}; nothing when {@code from} does not exist. */
    public static void copyTree(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
