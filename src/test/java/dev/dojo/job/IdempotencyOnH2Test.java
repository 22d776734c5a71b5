package dev.dojo.job;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** {@link IdempotencyChecks} on one node with the embedded database: first and retry go to the same node. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/idempotency-h2-${random.uuid}", "dojo.roles=api"})
class IdempotencyOnH2Test extends IdempotencyChecks {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Override
    int first() {
        return port;
    }

    @Override
    int second() {
        return port;
    }

    @Override
    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }
}
