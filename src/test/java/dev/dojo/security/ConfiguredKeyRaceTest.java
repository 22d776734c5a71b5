package dev.dojo.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.codec.digest.DigestUtils;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A compose stack or a Deployment starts all its nodes at once, each with the same bootstrap and
 * metrics keys, on one database: every node must start, whichever inserts the configured key's row
 * first. Real PostgreSQL, one connection per node, all released at the same moment.
 */
class ConfiguredKeyRaceTest {

    private static final int NODES = 6;
    private static final int ROUNDS = 15;

    private Postgres pg;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void schema() {
        pg = new Postgres("keyrace");
        Flyway.configure().dataSource(pg.url(), "postgres", "").schemas(pg.schema())
                .locations("classpath:db/migration/postgresql").load().migrate();
    }

    @AfterEach
    void drop() throws Exception {
        for (Connection c : connections) {
            c.close();
        }
        pg.close();
    }

    @Test
    void nodesStartingAtOnceAllMakeSureOfTheConfiguredKeyAndOneRowHoldsIt() throws Exception {
        String secret = "s".repeat(20) + "0123456789abcdef";
        SecuritySettings settings = new SecuritySettings(null, null, false, Duration.ofSeconds(1));
        List<KeyStore> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            Connection c = DriverManager.getConnection(pg.url(), "postgres", "");
            connections.add(c);
            nodes.add(new KeyStore(new JdbcTemplate(new SingleConnectionDataSource(c, true)), settings));
        }
        ExecutorService pool = Executors.newFixedThreadPool(NODES);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String id = "race" + round;
                CyclicBarrier start = new CyclicBarrier(NODES);
                List<Future<?>> starts = new ArrayList<>();
                for (KeyStore node : nodes) {
                    starts.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        node.ensureConfigured(id, Scope.ADMIN, "dojo.security.bootstrap-key", secret);
                        return null;
                    }));
                }
                for (Future<?> f : starts) {
                    f.get(30, TimeUnit.SECONDS); // a node that failed to start throws here
                }
                JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connections.get(0), true));
                assertThat(jdbc.queryForList("SELECT secret_sha256 FROM api_key WHERE id = ? AND revoked_at IS NULL",
                        String.class, id)).containsExactly(DigestUtils.sha256Hex(secret));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
