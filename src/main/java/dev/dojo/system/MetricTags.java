package dev.dojo.system;

import io.micrometer.core.instrument.config.MeterFilter;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps the machine's layout out of {@code /actuator/metrics} and {@code /actuator/prometheus}: the
 * disk-space meters' {@code path} tag names the directory by its role (the working directory, the
 * data directory) or its last segment, not by its absolute path.
 */
@Configuration(proxyBeanMethods = false)
class MetricTags {

    @Bean
    MeterFilter noAbsolutePathsInTags(NodeSettings node) {
        Path workingDir = Path.of("").toAbsolutePath().normalize();
        Path dataDir = node.dataPath().toAbsolutePath().normalize();
        return MeterFilter.replaceTagValues("path", value -> label(value, workingDir, dataDir));
    }

    static String label(String value, Path workingDir, Path dataDir) {
        Path path;
        try {
            path = Path.of(value).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            return FilePaths.redact(value);
        }
        if (path.equals(workingDir)) {
            return "working-dir";
        }
        if (path.equals(dataDir)) {
            return "data-dir";
        }
        Path name = path.getFileName();
        return name == null ? "root" : "…/" + name;
    }
}
