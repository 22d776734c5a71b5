package dev.dojo.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobStatusTest {

    @Test
    void endedJobsGoNowhereAndOnlyRunningJobsGoBackToTheQueue() {
        for (JobStatus ended : new JobStatus[] {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}) {
            assertThat(ended.isTerminal()).isTrue();
            for (JobStatus next : JobStatus.values()) {
                assertThat(ended.canMoveTo(next)).isFalse();
            }
        }
        assertThat(JobStatus.RUNNING.canMoveTo(JobStatus.QUEUED)).isTrue();
        assertThat(JobStatus.QUEUED.canMoveTo(JobStatus.SUCCEEDED)).isFalse();
        assertThat(JobStatus.QUEUED.canMoveTo(JobStatus.CANCELLED)).isTrue();
    }
}
