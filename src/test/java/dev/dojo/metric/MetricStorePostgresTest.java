package dev.dojo.metric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Postgres;
import dev.dojo.system.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The metric store's PostgreSQL statement (an upsert on the metric key) on the real PostgreSQL:
 * a rewritten step replaces its row, with the attempt that wrote it last.
 */
class MetricStorePostgresTest {

    private MetricStore writer;
    private Postgres pg;
    private Connection connection;
    private JdbcTemplate jdbc;

    @BeforeEach
    void schema() throws Exception {
        pg = new Postgres("metricwriter");
        Flyway.configure().dataSource(pg.url(), "postgres", "").schemas(pg.schema())
                .locations("classpath:db/migration/postgresql").load().migrate();
        connection = DriverManager.getConnection(pg.url(), "postgres", "");
        jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
        writer = new MetricStore(jdbc, new Database(jdbc), null);
        jdbc.update("""
                INSERT INTO training_job (id, task, status, spec_json, priority, max_attempts, epochs, created_at)
                VALUES ('j1', 'sine-regression', 'RUNNING', '{}', 0, 3, 10, CURRENT_TIMESTAMP)""");
    }

    @AfterEach
    void drop() throws Exception {
        connection.close();
        pg.close();
    }

    @Test
    void aRewrittenStepReplacesItsRowInPlaceAndLeavesOtherNamesAlone() {
        Instant now = Instant.now();
        writer.insert(jdbc, "j1", 1, List.of(new MetricStore.Pending(1, 1, "train_loss", 0.1, now),
                new MetricStore.Pending(2, 2, "train_loss", 0.2, now),
                new MetricStore.Pending(2, 2, "test_accuracy", 0.9, now)));
        long id = jdbc.queryForObject("SELECT id FROM job_metric WHERE name = 'train_loss' AND step = 2", Long.class);
        writer.insert(jdbc, "j1", 2, List.of(new MetricStore.Pending(2, 2, "train_loss", 0.5, now)));

        assertThat(jdbc.queryForList("SELECT metric_value FROM job_metric WHERE name = 'train_loss' ORDER BY step", Double.class))
                .containsExactly(0.1, 0.5);
        assertThat(jdbc.queryForObject("SELECT attempt FROM job_metric WHERE name = 'train_loss' AND step = 2", Integer.class))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT id FROM job_metric WHERE name = 'train_loss' AND step = 2", Long.class))
                .as("the replaced row keeps its id, so an event stream past it does not send it again").isEqualTo(id);
        assertThat(jdbc.queryForList("SELECT metric_value FROM job_metric WHERE name = 'test_accuracy'", Double.class))
                .containsExactly(0.9);
    }
}
