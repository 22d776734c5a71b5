package dev.dojo.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/** Creates the data directory before the embedded database opens its file there. */
public class DataDirectory implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String dir = environment.getProperty("dojo.data-dir");
        if (dir == null || dir.isBlank()) {
            return;
        }
        try {
            Files.createDirectories(java.nio.file.Path.of(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }
}
