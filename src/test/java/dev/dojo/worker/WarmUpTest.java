package dev.dojo.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.Device;
import dev.dojo.DojoApplication;
import dev.dojo.job.JobRequest;
import dev.dojo.job.JobService;
import dev.dojo.job.JobStatus;
import dev.dojo.training.Hyperparameters;
import dev.dojo.training.SineRegressionTask;
import dev.dojo.training.TaskCatalog;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The JIT warm-up a worker node runs before its first claim (the test suite turns it off elsewhere). */
class WarmUpTest {

    @Test
    void aWarmUpRunsTheStepsItWasAskedFor() {
        TaskCatalog tasks = new TaskCatalog(List.of(new SineRegressionTask()));
        WarmUp.Result r = WarmUp.run(tasks, 300, Device.cpu(), () -> false);
        assertThat(r.steps()).isEqualTo(300);
        assertThat(r.cutShort()).isFalse();
        assertThat(r.took()).isPositive();
    }

    @Test
    void aJobSubmittedDuringTheWarmUpCutsItShortAndRuns() {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(DojoApplication.class).run(
                "--server.port=0", "--dojo.data-dir=target/test-data/warmup-" + UUID.randomUUID(),
                "--dojo.worker.warm-up-steps=100000")) {
            Hyperparameters short50 = new Hyperparameters(50, null, null, null, null, null, null, null, null, null, null, null, null);
            String id = app.getBean(JobService.class).submit(new JobRequest("sine-regression", "during warm-up", short50, null, null, null)).id();
            WorkerPool pool = app.getBean(WorkerPool.class);
            await().atMost(Duration.ofMinutes(1)).until(() -> app.getBean(JobService.class).get(id).status() == JobStatus.SUCCEEDED);
            WarmUp.Result r = pool.warmUpResult();
            assertThat(r).as("the warm-up ended before the job ran").isNotNull();
            assertThat(r.cutShort()).isTrue();
            assertThat(r.steps()).isLessThan(100_000);
        }
    }
}
