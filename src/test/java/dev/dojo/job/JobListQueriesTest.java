package dev.dojo.job;

import dev.dojo.queue.TenantScope;
import dev.dojo.security.Caller;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.queue.JobQueue;
import dev.dojo.queue.QueueSettings;
import dev.dojo.support.StatementCounter;
import dev.dojo.training.Hyperparameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A page of the job list costs a fixed number of statements, however many jobs it shows and however
 * many attempts they had: the page, its count, the attempts of all its jobs, and, when some of them are
 * queued, their tenants' running counts and limits and the live worker slots for one that waits for GPUs.
 * Counted on the real embedded database, JPA and JDBC alike.
 */
@SpringBootTest(properties = {"dojo.data-dir=target/test-data/job-list-${random.uuid}", "dojo.roles=api"})
class JobListQueriesTest {

    @TestConfiguration
    static class Counting {
        @Bean
        static StatementCounter statementCounter() {
            return new StatementCounter();
        }
    }

    @Autowired
    JobService jobs;

    @Autowired
    JobQueue queue;

    @Autowired
    QueueSettings queueSettings;

    @Test
    void aPageOfJobsCostsTheSameFewStatementsWhateverItsSize() {
        Hyperparameters short5 = new Hyperparameters(5, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            ids.add(jobs.submit(JobRequest.of("sine-regression", "job " + i, short5), Caller.local()).id());
        }
        jobs.submit(new JobRequest("sine-regression", "needs a GPU", short5, null, null, null, 1), Caller.local());
        // Attempts on some of them, so that each view has rows to show: a claim and a requeue, twice.
        for (String id : ids.subList(14, 24)) {
            for (int attempt = 0; attempt < 2; attempt++) {
                queue.handBack(queue.claimJob(id, "test/0", "cpu", 0, queueSettings.lease()).orElseThrow(), "test");
            }
        }

        StatementCounter.reset();
        PageView<JobView> two = jobs.list(TenantScope.ALL, null, null, null, 0, 2);
        int forTwo = StatementCounter.count();
        StatementCounter.reset();
        PageView<JobView> twenty = jobs.list(TenantScope.ALL, null, null, null, 0, 20);
        int forTwenty = StatementCounter.count();

        assertThat(two.items()).hasSize(2);
        assertThat(twenty.items()).hasSize(20);
        assertThat(twenty.items()).filteredOn(j -> j.attempts().size() == 2).hasSize(10);
        assertThat(twenty.items()).filteredOn(j -> "needs a GPU".equals(j.name()))
                .singleElement().satisfies(j -> assertThat(j.pendingReason()).startsWith("needs 1 GPU"));
        assertThat(forTwenty).isEqualTo(forTwo).isLessThanOrEqualTo(6);

        // Filtered by labels, one or several, a page costs the same statements as without.
        Map<String, String> both = Map.of("branch", "main", "git.sha", "abc123");
        for (int i = 0; i < 24; i++) {
            jobs.submit(new JobRequest("sine-regression", "labelled " + i, short5, null, null, null, null,
                    i % 2 == 0 ? both : Map.of("branch", "main"), null, null, null, null, null, null), Caller.local());
        }
        StatementCounter.reset();
        PageView<JobView> labelledTwo = jobs.list(TenantScope.ALL, null, null, null, both, 0, 2);
        int labelledForTwo = StatementCounter.count();
        StatementCounter.reset();
        PageView<JobView> labelledTwenty = jobs.list(TenantScope.ALL, null, null, null, Map.of("branch", "main"), 0, 20);
        int labelledForTwenty = StatementCounter.count();
        assertThat(labelledTwo.items()).hasSize(2);
        assertThat(labelledTwo.totalItems()).isEqualTo(12);
        assertThat(labelledTwenty.items()).hasSize(20).allMatch(j -> "main".equals(j.spec().labels().get("branch")));
        assertThat(labelledTwenty.totalItems()).isEqualTo(24);
        assertThat(labelledForTwenty).isEqualTo(labelledForTwo).isLessThanOrEqualTo(forTwenty);
    }
}
