package dev.dojo.job;

import dev.dojo.DojoApplication;
import dev.dojo.support.Postgres;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link IdempotencyChecks} on two api nodes (two application contexts in this JVM, each on its own
 * port) sharing one fresh PostgreSQL schema: a retry sent to the other node still finds the key.
 */
class IdempotencyOnPostgresTest extends IdempotencyChecks {

    private Postgres pg;
    private ConfigurableApplicationContext one;
    private ConfigurableApplicationContext two;

    @BeforeAll
    void twoApiNodes() {
        pg = new Postgres("idem");
        one = node("idem-api-1");
        two = node("idem-api-2");
    }

    private ConfigurableApplicationContext node(String id) {
        List<String> args = new ArrayList<>(pg.springArgs());
        args.addAll(List.of("--dojo.roles=api", "--server.port=0", "--dojo.node-id=" + id,
                "--dojo.data-dir=target/test-data/" + id + "-" + pg.schema()));
        return new SpringApplicationBuilder(DojoApplication.class).run(args.toArray(String[]::new));
    }

    @AfterAll
    void stop() {
        if (two != null) {
            two.close();
        }
        if (one != null) {
            one.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private static int port(ConfigurableApplicationContext node) {
        return Integer.parseInt(node.getEnvironment().getProperty("local.server.port"));
    }

    @Override
    int first() {
        return port(one);
    }

    @Override
    int second() {
        return port(two);
    }

    @Override
    <T> T bean(Class<T> type) {
        return one.getBean(type);
    }
}
