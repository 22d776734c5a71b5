package dev.dojo.worker;

import dev.dojo.queue.QueueSettings;
import dev.dojo.queue.WorkerRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes sure no live node already answers to this node's id before it starts working: a second node
 * with the same id would take the first one's running jobs for its own orphans. A row that beat
 * recently may be a node that just died; so the check waits one and a half heartbeat intervals and
 * refuses only when that node's heartbeat moved meanwhile.
 */
@Component
class NodeIdentity {

    private static final Logger log = LoggerFactory.getLogger(NodeIdentity.class);

    private final WorkerRegistry registry;
    private final WorkerSettings settings;
    private final QueueSettings queue;

    NodeIdentity(WorkerRegistry registry, WorkerSettings settings, QueueSettings queue) {
        this.registry = registry;
        this.settings = settings;
        this.queue = queue;
    }

    /** @throws IllegalStateException when another live node uses {@code nodeId} */
    void requireUnused(String nodeId) {
        Map<String, Instant> before = registry.recentHeartbeats(nodeId, queue.lease());
        if (before.isEmpty()) {
            return;
        }
        Duration wait = settings.heartbeatInterval().multipliedBy(3).dividedBy(2);
        log.info("node id {} beat {} ago; waiting {} ms to see whether that node is still alive", nodeId,
                Duration.between(before.values().stream().max(Instant::compareTo).orElseThrow(), Instant.now()), wait.toMillis());
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking node id " + nodeId, e);
        }
        Map<String, Instant> after = registry.recentHeartbeats(nodeId, queue.lease());
        for (Map.Entry<String, Instant> beat : after.entrySet()) {
            Instant earlier = before.get(beat.getKey());
            if (earlier == null || beat.getValue().isAfter(earlier)) {
                throw new IllegalStateException("dojo.node-id=" + nodeId + " is in use by a live node (worker " + beat.getKey()
                        + " heartbeat at " + beat.getValue() + "); give each node its own id with dojo.node-id (DOJO_NODE_ID), "
                        + "or leave it and HOSTNAME unset for one unique to the process");
            }
        }
    }
}
