package dev.dojo.worker;

import dev.dojo.queue.TenantScope;
import dev.dojo.security.Caller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.DojoApplication;
import dev.dojo.job.JobRequest;
import dev.dojo.job.JobService;
import dev.dojo.queue.JobStatus;
import dev.dojo.support.Postgres;
import dev.dojo.training.Hyperparameters;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The training thread never waits on the database: while another session holds the metric table
 * locked, the job keeps training (its metrics keep their own timestamps from inside the lock), and
 * once the lock goes everything waiting is written, nothing lost.
 */
class WriteBehindTest {

    private static final int EPOCHS = 40_000;

    @Test
    void trainingGoesOnWhileTheDatabaseBlocksItsWrites() throws Exception {
        try (Postgres pg = new Postgres("writebehind")) {
            List<String> args = new ArrayList<>(pg.springArgs());
            args.addAll(List.of("--server.port=0", "--dojo.data-dir=target/test-data/writebehind-" + UUID.randomUUID()));
            try (ConfigurableApplicationContext app = new SpringApplicationBuilder(DojoApplication.class).run(args.toArray(String[]::new))) {
                JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
                Hyperparameters hp = new Hyperparameters(EPOCHS, null, null, null, null, List.of(32), null, 3L,
                        null, null, null, null, 4_000, null, null, null, null, null);
                String id = app.getBean(JobService.class).submit(JobRequest.of("sine-regression", "write-behind", hp), Caller.local()).id();
                await().atMost(Duration.ofMinutes(2)).until(() ->
                        jdbc.queryForObject("SELECT current_epoch FROM training_job WHERE id = ?", Integer.class, id) > 0);

                Instant locked;
                Instant released;
                try (Connection other = DriverManager.getConnection(pg.url(), "postgres", "")) {
                    other.setAutoCommit(false);
                    try (Statement s = other.createStatement()) {
                        // EXCLUSIVE lets reads through and blocks every insert into job_metric.
                        s.execute("LOCK TABLE job_metric IN EXCLUSIVE MODE");
                    }
                    locked = Instant.now();
                    Thread.sleep(2_000);
                    int epochBeforeRelease = jdbc.queryForObject("SELECT current_epoch FROM training_job WHERE id = ?", Integer.class, id);
                    assertThat(epochBeforeRelease).as("the job has not finished yet; make it longer").isLessThan(EPOCHS);
                    released = Instant.now();
                    other.rollback();
                }

                await().atMost(Duration.ofMinutes(3)).until(() ->
                        JobStatus.valueOf(jdbc.queryForObject("SELECT status FROM training_job WHERE id = ?", String.class, id)).isTerminal());
                assertThat(jdbc.queryForObject("SELECT status FROM training_job WHERE id = ?", String.class, id)).isEqualTo("SUCCEEDED");

                int producedWhileLocked = jdbc.queryForObject(
                        "SELECT COUNT(*) FROM job_metric WHERE job_id = ? AND recorded_at > ? AND recorded_at < ?", Integer.class,
                        id, Timestamp.from(locked.plusMillis(500)), Timestamp.from(released));
                assertThat(producedWhileLocked).as("train_loss values recorded while the metric table was locked").isGreaterThan(50);
                assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT step) FROM job_metric WHERE job_id = ? AND name = 'train_loss'",
                        Integer.class, id)).as("every epoch's loss, none lost").isEqualTo(EPOCHS);
                assertThat(jdbc.queryForList("SELECT checkpoint_number FROM job_checkpoint WHERE job_id = ? ORDER BY checkpoint_number", Integer.class, id))
                        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            }
        }
    }
}
