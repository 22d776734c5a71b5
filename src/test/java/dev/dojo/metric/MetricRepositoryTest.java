package dev.dojo.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dojo.system.Database;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.JdbcTemplate;

@DataJpaTest
class MetricRepositoryTest {

    @Autowired
    MetricRepository metrics;

    @Autowired
    JdbcTemplate jdbc;

    MetricStore writer;

    @BeforeEach
    void store() {
        writer = new MetricStore(jdbc, new Database(jdbc), metrics);
    }

    @BeforeEach
    void job() {
        jdbc.update("""
                INSERT INTO training_job (id, task, status, spec_json, priority, max_attempts, epochs, created_at)
                VALUES ('j1', 'sine-regression', 'RUNNING', '{}', 0, 3, 10, CURRENT_TIMESTAMP)""");
    }

    @Test
    void pagesInStepOrderFilteredByName() {
        Instant now = Instant.now();
        writer.insert(jdbc, "j1", 1, List.of(
                new MetricStore.Pending(1, 3, "train_loss", 0.3, now),
                new MetricStore.Pending(1, 1, "train_loss", 0.1, now),
                new MetricStore.Pending(1, 2, "train_loss", 0.2, now),
                new MetricStore.Pending(1, 2, "test_accuracy", 0.9, now)));

        assertThat(metrics.page("j1", null, 0, Limit.of(10))).extracting(r -> r.toPoint().step()).containsExactly(1L, 2L, 2L, 3L);
        assertThat(metrics.page("j1", "train_loss", 1, Limit.of(1))).extracting(r -> r.toPoint().value()).containsExactly(0.2);
        assertThat(metrics.page("j1", "test_accuracy", 0, Limit.of(10))).hasSize(1);
    }

    @Test
    void aRewrittenStepReplacesItsRowsAndTheTableRefusesDuplicates() {
        Instant now = Instant.now();
        writer.insert(jdbc, "j1", 1, List.of(new MetricStore.Pending(1, 1, "train_loss", 0.1, now),
                new MetricStore.Pending(2, 2, "train_loss", 0.2, now),
                new MetricStore.Pending(3, 3, "train_loss", 0.3, now)));

        // A retried or replayed write replaces the rows it repeats, no copies; other names at that step stay.
        writer.insert(jdbc, "j1", 1, List.of(new MetricStore.Pending(2, 2, "test_accuracy", 0.9, now)));
        writer.insert(jdbc, "j1", 1, List.of(new MetricStore.Pending(2, 2, "train_loss", 0.5, now)));
        assertThat(metrics.page("j1", "train_loss", 0, Limit.of(10))).extracting(r -> r.toPoint().value()).containsExactly(0.1, 0.5, 0.3);
        assertThat(metrics.page("j1", "test_accuracy", 0, Limit.of(10))).extracting(r -> r.toPoint().value()).containsExactly(0.9);

        assertThatThrownBy(() -> jdbc.update("""
                INSERT INTO job_metric (job_id, epoch, step, name, metric_value, recorded_at)
                VALUES ('j1', 1, 1, 'train_loss', 9, CURRENT_TIMESTAMP)"""))
                .isInstanceOf(DataIntegrityViolationException.class);

        // A resume from the checkpoint at step 1 drops everything after it.
        writer.deleteAfter(jdbc, "j1", 1);
        assertThat(metrics.page("j1", null, 0, Limit.of(10))).extracting(r -> r.toPoint().step()).containsExactly(1L);
    }
}
