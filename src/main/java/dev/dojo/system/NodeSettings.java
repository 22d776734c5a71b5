package dev.dojo.system;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.nio.file.Path;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * What this process is: where its files live, which roles it plays, and its name in the queue.
 *
 * @param dataDir the data directory (H2 file, datasets); created on first start
 * @param roles {@code api}, {@code worker}, or both
 * @param nodeId this node's stable name; jobs it left RUNNING are requeued when it restarts
 */
@Validated
@ConfigurationProperties("dojo")
public record NodeSettings(@NotBlank String dataDir, @NotEmpty Set<Role> roles, @NotBlank String nodeId) {

    /** What a node does: serve the API, train jobs, or both. */
    public enum Role { API, WORKER }

    public boolean isApi() {
        return roles.contains(Role.API);
    }

    public boolean isWorker() {
        return roles.contains(Role.WORKER);
    }

    public Path dataPath() {
        return Path.of(dataDir);
    }
}
