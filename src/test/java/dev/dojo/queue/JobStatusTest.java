package dev.dojo.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobStatusTest {

    @Test
    void endedJobsGoNowhere() {
        for (JobStatus ended : new JobStatus[] {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}) {
            assertThat(ended.isTerminal()).isTrue();
            for (JobStatus next : JobStatus.values()) {
                assertThatThrownBy(() -> ended.move(next)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(ended + " to " + next);
            }
        }
    }

    @Test
    void onlyRunningJobsGoBackToTheQueueAndQueuedOnesNeverSucceed() {
        assertThat(JobStatus.RUNNING.move(JobStatus.QUEUED).set()).isEqualTo("status = 'QUEUED'");
        assertThat(JobStatus.RUNNING.move(JobStatus.QUEUED).where()).isEqualTo("status = 'RUNNING'");
        assertThat(JobStatus.QUEUED.move(JobStatus.CANCELLED).where()).isEqualTo("status = 'QUEUED'");
        assertThatThrownBy(() -> JobStatus.QUEUED.move(JobStatus.SUCCEEDED)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JobStatus.QUEUED.move(JobStatus.QUEUED)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theQueueRefusesToFinishAJobWithAStatusTheTableDoesNotAllow() {
        Claim claim = new Claim("no-such-job", 1, "sine-regression", "{}", null, "w/0", "cpu");
        // RUNNING -> QUEUED is a requeue, not an end: the table allows it, finish() does not.
        assertThatThrownBy(() -> new JobQueue(null, null, null, null, null, null).finish(claim, JobStatus.QUEUED, null))
                .isInstanceOf(IllegalArgumentException.class);
        // RUNNING -> RUNNING is in no table: refused before any SQL is built.
        assertThatThrownBy(() -> new JobQueue(null, null, null, null, null, null).finish(claim, JobStatus.RUNNING, null))
                .isInstanceOf(IllegalStateException.class);
    }
}
