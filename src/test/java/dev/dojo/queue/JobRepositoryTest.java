package dev.dojo.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.JdbcTemplate;

/** The job repository against the Flyway schema, with Hibernate validating the mapping. */
@DataJpaTest
class JobRepositoryTest {

    @Autowired
    JobRepository jobs;

    @Autowired
    JdbcTemplate jdbc;

    private TrainingJob job(String task, Instant created) {
        return new TrainingJob("local", null, task, null, "{}", 0, null, 3, 10, 0, created);
    }

    @Test
    void searchListsNewestFirstAndFiltersByStatusAndTask() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        TrainingJob oldSine = jobs.save(job("sine-regression", t));
        TrainingJob newSine = jobs.save(job("sine-regression", t.plusSeconds(60)));
        TrainingJob mnist = jobs.save(job("mnist", t.plusSeconds(30)));
        jobs.flush();
        jdbc.update("UPDATE training_job SET status = 'SUCCEEDED' WHERE id = ?", oldSine.getId());

        Page<TrainingJob> all = jobs.search(null, null, null, PageRequest.of(0, 10));
        assertThat(all.getContent()).extracting(TrainingJob::getId).containsExactly(newSine.getId(), mnist.getId(), oldSine.getId());

        assertThat(jobs.search(null, JobStatus.QUEUED, "sine-regression", PageRequest.of(0, 10)).getContent())
                .extracting(TrainingJob::getId).containsExactly(newSine.getId());
        assertThat(jobs.search(null, JobStatus.SUCCEEDED, null, PageRequest.of(0, 10)).getContent())
                .extracting(TrainingJob::getId).containsExactly(oldSine.getId());

        Page<TrainingJob> second = jobs.search(null, null, null, PageRequest.of(1, 2));
        assertThat(second.getTotalElements()).isEqualTo(3);
        assertThat(second.getContent()).extracting(TrainingJob::getId).containsExactly(oldSine.getId());
    }

    @Test
    void newJobsAreQueuedAndKeepTheirTenant() {
        TrainingJob saved = jobs.saveAndFlush(job("sine-regression", Instant.now()));
        TrainingJob read = jobs.findById(saved.getId()).orElseThrow();
        assertThat(read.getStatus()).isEqualTo(JobStatus.QUEUED);
        assertThat(read.getTenant()).isEqualTo("local");
        assertThat(read.getAttempt()).isZero();
    }
}
