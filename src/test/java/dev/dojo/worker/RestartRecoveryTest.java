package dev.dojo.worker;

import dev.dojo.queue.TenantScope;
import dev.dojo.security.Caller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.DojoApplication;
import dev.dojo.job.JobRequest;
import dev.dojo.job.JobService;
import dev.dojo.queue.JobStatus;
import dev.dojo.job.JobView;
import dev.dojo.training.Hyperparameters;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A node that died with a job RUNNING gets it back when it restarts; a job another node runs is
 * left alone. The crash is staged in the database between two real application contexts that
 * share one H2 file, as two runs of the same process would.
 */
class RestartRecoveryTest {

    private final String dataDir = "target/test-data/restart-" + UUID.randomUUID();

    private ConfigurableApplicationContext start(String roles) {
        return new SpringApplicationBuilder(DojoApplication.class).run(
                "--server.port=0", "--dojo.data-dir=" + dataDir, "--dojo.roles=" + roles, "--dojo.node-id=node-a");
    }

    @Test
    void jobLeftRunningByThisNodeIsRequeuedAndFinishesOnRestart() {
        String mine;
        String theirs;
        try (ConfigurableApplicationContext first = start("api")) {
            JobService jobs = first.getBean(JobService.class);
            Hyperparameters short20 = new Hyperparameters(20, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
            mine = jobs.submit(JobRequest.of("sine-regression", "mine", short20), Caller.local()).id();
            theirs = jobs.submit(JobRequest.of("sine-regression", "theirs", short20), Caller.local()).id();
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            stageRunning(jdbc, mine, "node-a/0");
            stageRunning(jdbc, theirs, "node-b/0");
        }

        try (ConfigurableApplicationContext second = start("api,worker")) {
            JobService jobs = second.getBean(JobService.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> jobs.get(mine, TenantScope.ALL).status() == JobStatus.SUCCEEDED);
            JobView recovered = jobs.get(mine, TenantScope.ALL);
            assertThat(recovered.attempt()).isEqualTo(2);
            assertThat(recovered.attempts()).hasSize(2);
            assertThat(recovered.attempts().get(0).outcome()).isEqualTo("LOST");
            assertThat(recovered.attempts().get(1).outcome()).isEqualTo("SUCCEEDED");
            assertThat(recovered.attempts().get(1).workerId()).isEqualTo("node-a/0");
            assertThat(recovered.progress().epoch()).isEqualTo(20);

            JobView other = jobs.get(theirs, TenantScope.ALL);
            assertThat(other.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(other.workerId()).isEqualTo("node-b/0");
        }
    }

    private static void stageRunning(JdbcTemplate jdbc, String id, String worker) {
        jdbc.update("""
                UPDATE training_job SET status = 'RUNNING', attempt = 1, worker_id = ?, started_at = CURRENT_TIMESTAMP,
                  lease_expires_at = CURRENT_TIMESTAMP + INTERVAL '1' HOUR WHERE id = ?""", worker, id);
        jdbc.update("INSERT INTO job_attempt (job_id, attempt, worker_id, started_at) VALUES (?, 1, ?, CURRENT_TIMESTAMP)", id, worker);
    }
}
