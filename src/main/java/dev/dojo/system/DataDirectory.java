package dev.dojo.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code dojo.data-dir} absolute and creates it, before the embedded database opens its file
 * there (H2 refuses implicitly relative paths such as {@code data/dojo}).
 */
public class DataDirectory implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String dir = environment.getProperty("dojo.data-dir");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path absolute = Path.of(dir).toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + absolute, e);
        }
        environment.getPropertySources().addFirst(
                new MapPropertySource("dojoDataDir", Map.of("dojo.data-dir", absolute.toString())));
    }
}
