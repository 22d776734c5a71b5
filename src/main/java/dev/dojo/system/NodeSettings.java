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
 * @param nodeId this node's name in the queue; jobs it left RUNNING are requeued when it restarts with the
 *               same name. Unset (and no {@code HOSTNAME}): a name unique to this process, so two nodes on one
 *               machine never take each other for themselves.
 */
@Validated
@ConfigurationProperties("dojo")
public record NodeSettings(@NotBlank String dataDir, @NotEmpty Set<Role> roles, String nodeId) {

    public NodeSettings {
        if (nodeId == null || nodeId.isBlank()) {
            nodeId = "local-" + ProcessHandle.current().pid() + "-" + Long.toHexString(new java.security.SecureRandom().nextInt(0x10000));
        }
    }

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
