package dev.dojo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code dojo.*} key that an application*.yml sets is bound by one of the service's settings
 * records: a key nothing reads (a typo, or a setting that moved) would otherwise look like
 * configuration and do nothing.
 */
class EveryDojoSettingIsBoundTest {

    @Test
    void everyDojoKeyInTheApplicationFilesIsBoundByASettingsRecord() throws IOException {
        Set<String> bound = AppSettings.get().properties();
        List<String> unbound = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        try (Stream<Path> files = Files.list(DeployFiles.path("src/main/resources"))) {
            for (Path yml : files.filter(p -> p.getFileName().toString().matches("application.*\\.ya?ml")).sorted().toList()) {
                for (String key : DeployFiles.flatten(DeployFiles.yamlMap(yml)).keySet()) {
                    if (key.startsWith("dojo.")) {
                        checked.add(key);
                        String base = key.replaceAll("\\[\\d+]$", "");
                        boolean known = bound.stream().anyMatch(p -> base.equals(p) || base.startsWith(p + "."));
                        if (!known) {
                            unbound.add(yml.getFileName() + ": " + key);
                        }
                    }
                }
            }
        }
        assertThat(checked).as("the application files set dojo.* keys").isNotEmpty();
        assertThat(unbound).as("dojo.* keys that no @ConfigurationProperties record binds").isEmpty();
    }

    @Test
    void theCheckNamesAKeyThatNothingReads() {
        // The old key dojo.worker.max-attempts was set in application.yml while nothing read it.
        Set<String> bound = AppSettings.get().properties();
        assertThat(bound).contains("dojo.jobs.max-attempts", "dojo.queue.lease", "dojo.queue.sweep-interval", "dojo.queue.restart-grace")
                .doesNotContain("dojo.worker.max-attempts", "dojo.worker.lease");
    }
}
