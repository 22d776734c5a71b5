package dev.dojo.queue;

import dev.dojo.security.Caller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.DojoApplication;
import dev.dojo.job.JobRequest;
import dev.dojo.job.JobService;
import dev.dojo.support.CountingTask;
import dev.dojo.support.NodeProcess;
import dev.dojo.support.Postgres;
import dev.dojo.training.Hyperparameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Many workers race for the same queue; every job must run exactly once. The count comes from the
 * jobs themselves: each run appends its key to a shared file.
 */
class ClaimRaceTest {

    private static Hyperparameters key(long seed) {
        return new Hyperparameters(null, null, null, null, null, null, null, seed, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void fourWorkerProcessesOnPostgresRunTwoThousandJobsExactlyOnce() throws IOException {
        int jobs = 2000;
        Path runLog = runLog();
        try (Postgres pg = new Postgres("claims")) {
            List<String> common = new ArrayList<>(pg.springArgs());
            common.addAll(List.of("--dojo.test.run-log=" + runLog, "--dojo.worker.poll-interval=100ms"));
            List<NodeProcess> workers = new ArrayList<>();
            try (ConfigurableApplicationContext api = inProcess(common, "--dojo.roles=api", "--dojo.node-id=race-api",
                    // All 2,000 go in before the workers start: far past the default queued quota of 100.
                    "--dojo.quotas.max-queued-jobs=" + jobs)) {
                for (int i = 0; i < 4; i++) {
                    List<String> args = new ArrayList<>(common);
                    args.addAll(List.of("--dojo.roles=worker", "--dojo.worker.concurrency=2"));
                    workers.add(NodeProcess.start("race-worker-" + i, args));
                }
                JobService service = api.getBean(JobService.class);
                for (int i = 0; i < jobs; i++) {
                    service.submit(JobRequest.of(CountingTask.NAME, null, key(i)), Caller.local());
                }
                workers.forEach(w -> w.awaitReady(Duration.ofMinutes(3)));
                JdbcTemplate jdbc = api.getBean(JdbcTemplate.class);
                await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        jdbc.queryForObject("SELECT COUNT(*) FROM training_job WHERE status = 'SUCCEEDED'", Integer.class) == jobs);

                assertEveryJobRanOnce(runLog, jobs);
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM training_job WHERE status <> 'SUCCEEDED' OR worker_id IS NULL AND status = 'RUNNING'", Integer.class)).isZero();
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM job_attempt", Integer.class)).isEqualTo(jobs);
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM job_attempt WHERE outcome <> 'SUCCEEDED' OR ended_at IS NULL", Integer.class)).isZero();
                List<String> processes = jdbc.queryForList(
                        "SELECT DISTINCT SUBSTRING(worker_id FROM 1 FOR POSITION('/' IN worker_id) - 1) FROM job_attempt", String.class);
                assertThat(processes).as("jobs were spread over the worker processes").hasSizeGreaterThanOrEqualTo(3);
                double seconds = jdbc.queryForObject(
                        "SELECT EXTRACT(EPOCH FROM MAX(finished_at) - MIN(started_at)) FROM training_job", Double.class);
                System.out.printf("FIGURE claim-race: %d jobs by 4 worker processes x 2 threads on PostgreSQL in %.1f s = %.0f jobs/s%n",
                        jobs, seconds, jobs / seconds);
            } finally {
                workers.forEach(NodeProcess::close);
            }
        }
    }

    @Test
    void severalWorkerThreadsOnEmbeddedH2RunEachJobOnce() throws IOException {
        int jobs = 300;
        Path runLog = runLog();
        try (ConfigurableApplicationContext node = inProcess(List.of("--dojo.test.run-log=" + runLog),
                "--dojo.roles=api,worker", "--dojo.worker.concurrency=6", "--dojo.node-id=h2-race", "--dojo.quotas.max-queued-jobs=" + jobs,
                "--dojo.data-dir=target/test-data/h2-race-" + UUID.randomUUID())) {
            JobService service = node.getBean(JobService.class);
            for (int i = 0; i < jobs; i++) {
                service.submit(JobRequest.of(CountingTask.NAME, null, key(i)), Caller.local());
            }
            JdbcTemplate jdbc = node.getBean(JdbcTemplate.class);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() ->
                    jdbc.queryForObject("SELECT COUNT(*) FROM training_job WHERE status = 'SUCCEEDED'", Integer.class) == jobs);
            assertEveryJobRanOnce(runLog, jobs);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM job_attempt", Integer.class)).isEqualTo(jobs);
            assertThat(jdbc.queryForList("SELECT DISTINCT worker_id FROM job_attempt", String.class)).hasSizeGreaterThan(1);
        }
    }

    static ConfigurableApplicationContext inProcess(List<String> common, String... more) {
        List<String> args = new ArrayList<>(common);
        args.add("--server.port=0");
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(DojoApplication.class).run(args.toArray(String[]::new));
    }

    private static Path runLog() throws IOException {
        Path dir = Path.of("target", "test-data");
        Files.createDirectories(dir);
        return dir.resolve("runs-" + UUID.randomUUID() + ".log").toAbsolutePath();
    }

    private static void assertEveryJobRanOnce(Path runLog, int jobs) throws IOException {
        Map<String, Long> runs = Files.readAllLines(runLog).stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(runs).hasSize(jobs);
        assertThat(runs.values()).allMatch(n -> n == 1L);
    }
}
