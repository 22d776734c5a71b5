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
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The rehearsal a worker node runs before its first claim (the test suite turns it off elsewhere):
 * a throw-away sine job through the real submit, claim, write and finish path, rolled back.
 */
class WarmUpTest {

    private static final List<String> TABLES = List.of("training_job", "job_attempt", "job_metric", "job_checkpoint", "job_log", "tenant");

    @Test
    void theRehearsalWritesAJobsRowsAndLeavesNoneBehindOnH2() {
        rehearse(List.of("--dojo.data-dir=target/test-data/warmup-" + UUID.randomUUID()));
    }

    @Test
    void theRehearsalWritesAJobsRowsAndLeavesNoneBehindOnPostgres() {
        try (Postgres pg = new Postgres("warmup")) {
            List<String> args = new ArrayList<>(pg.springArgs());
            args.add("--dojo.data-dir=target/test-data/warmup-pg-" + UUID.randomUUID());
            rehearse(args);
        }
    }

    private static void rehearse(List<String> databaseArgs) {
        List<String> args = new ArrayList<>(databaseArgs);
        args.addAll(List.of("--server.port=0", "--dojo.worker.warm-up-steps=400"));
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(DojoApplication.class).run(args.toArray(String[]::new))) {
            WorkerPool pool = app.getBean(WorkerPool.class);
            await().atMost(Duration.ofMinutes(1)).until(() -> pool.warmUpResult() != null);
            WarmUp.Result r = pool.warmUpResult();
            assertThat(r.cutShort()).isFalse();
            assertThat(r.steps()).isEqualTo(400);
            // Inside its transaction the rehearsal wrote what a real 400-epoch sine job writes: a
            // train_loss row per epoch, and a checkpoint and a fit_mse row every 40 epochs.
            assertThat(r.metricRows()).isEqualTo(410);
            assertThat(r.checkpoints()).isEqualTo(10);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            for (String table : TABLES) {
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Integer.class)).as(table).isZero();
            }
            assertThat(app.getBean(JobService.class).list(TenantScope.ALL, null, null, null, 0, 10).items())
                    .as("the job list").isEmpty();
            // Its checkpoints went to a meter registry of its own, not the node's.
            assertThat(app.getBean(MeterRegistry.class).find("dojo.checkpoint.size").summaries()).isEmpty();
        }
    }

    @Test
    void aJobQueuedElsewhereCutsItShortWithinAPollInterval() {
        // With wake-on-submit off this node hears of no submit, as a worker-only node does not:
        // the rehearsal finds the job by looking at the queue.
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(DojoApplication.class).run(
                "--server.port=0", "--dojo.data-dir=target/test-data/warmup-" + UUID.randomUUID(),
                "--dojo.worker.warm-up-steps=100000", "--dojo.worker.wake-on-submit=false", "--dojo.worker.poll-interval=1s")) {
            WorkerPool pool = app.getBean(WorkerPool.class);
            JobService jobs = app.getBean(JobService.class);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            // The slot registers itself just before it starts rehearsing.
            await().atMost(Duration.ofMinutes(1)).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM worker_node", Integer.class) > 0);
            Hyperparameters short50 = new Hyperparameters(50, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
            String id = jobs.submit(JobRequest.of("sine-regression", "queued elsewhere", short50), Caller.local()).id();
            await().atMost(Duration.ofSeconds(30)).until(() -> jobs.get(id, TenantScope.ALL).status() == JobStatus.SUCCEEDED);
            WarmUp.Result r = pool.warmUpResult();
            assertThat(r.cutShort()).isTrue();
            assertThat(r.steps()).isLessThan(100_000);
            var job = jobs.get(id, TenantScope.ALL);
            assertThat(Duration.between(job.createdAt(), job.startedAt())).as("submit to RUNNING").isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aJobSubmittedDuringTheWarmUpCutsItShortAndRuns() {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(DojoApplication.class).run(
                "--server.port=0", "--dojo.data-dir=target/test-data/warmup-" + UUID.randomUUID(),
                "--dojo.worker.warm-up-steps=100000")) {
            Hyperparameters short50 = new Hyperparameters(50, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
            String id = app.getBean(JobService.class).submit(JobRequest.of("sine-regression", "during warm-up", short50), Caller.local()).id();
            WorkerPool pool = app.getBean(WorkerPool.class);
            await().atMost(Duration.ofMinutes(1)).until(() -> app.getBean(JobService.class).get(id, TenantScope.ALL).status() == JobStatus.SUCCEEDED);
            WarmUp.Result r = pool.warmUpResult();
            assertThat(r).as("the warm-up ended before the job ran").isNotNull();
            assertThat(r.cutShort()).isTrue();
            assertThat(r.steps()).isLessThan(100_000);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForList("SELECT id FROM training_job", String.class)).containsExactly(id);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM job_metric WHERE name = 'train_loss'", Integer.class)).isEqualTo(50);
        }
    }
}
