package dev.dojo.security;

import dev.dojo.support.Api;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An api-only node (nothing trains, so submitted jobs stay queued and long polls and streams stay open)
 * with a bootstrap key and small per-tenant caps. The test classes that extend it share one context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/tenant-node-${random.uuid}", "dojo.node-id=tenant-node", "dojo.roles=api",
        "dojo.security.bootstrap-key=" + TenantNode.BOOTSTRAP,
        "dojo.limits.max-long-polls-per-tenant=" + TenantNode.CAP, "dojo.limits.max-event-streams-per-tenant=" + TenantNode.CAP,
        "dojo.events.heartbeat=1s"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TenantNode {

    static final String BOOTSTRAP = "tenant-node-test-bootstrap-secret-0123456789";
    static final int CAP = 2;

    @LocalServerPort
    int port;

    Api admin;

    @BeforeAll
    void admin() {
        admin = new Api(port).withKey(BOOTSTRAP);
    }

    /** A client with a new key of {@code tenant} that may read and submit jobs. */
    Api keyOf(String tenant) {
        return new Api(port).withKey(admin.createKey(tenant, "jobs:read", "jobs:write").key());
    }
}
