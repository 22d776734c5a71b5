package dev.dojo.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.support.Api;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A sweep keeps to its tenant's quota: a trial the full queue refuses is tried again on a later tick,
 * holds back every later trial meanwhile, and runs once there is room; the queue never holds more of the
 * tenant's jobs than its {@code maxQueuedJobs}, sampled from the job rows while the sweep runs.
 */
class SweepQuotaTest extends SweepNode {

    private static final String TENANT = "sweep-quota";

    @Autowired
    JdbcTemplate db;

    @Test
    void aFullQueueHoldsTrialsBackUntilThereIsRoomAndEveryTrialRunsOnce() {
        setQuota(0);
        Api team = keyOf(TENANT);
        String id = start(team, """
                {"base": {"task": "sine-regression", "hyperparameters": {"epochs": 2000, "hiddenUnits": [16], "logEverySteps": 100}},
                 "space": {"hyperparameters.seed": {"values": [1, 2, 3, 4]}},
                 "objective": {"metric": "train_loss", "mode": "min"}, "parallelism": 3}""");

        // No room at all: trial 1's row is written, its submit refused, and nothing else happens however many ticks pass.
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> team.get("/api/sweeps/" + id).json().get("trials").size() >= 1);
        Instant seen = leaseUntil(id);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> leaseUntil(id).isAfter(seen.plusSeconds(1)));
        JsonNode waiting = team.get("/api/sweeps/" + id).json();
        assertThat(waiting.get("status").asString()).isEqualTo("RUNNING");
        assertThat(waiting.get("trials").size()).as("the refused trial holds back the later ones: %s", waiting).isEqualTo(1);
        assertThat(waiting.at("/trials/0/jobId").isNull()).as("refused, so no job").isTrue();
        assertThat(waiting.at("/counts/queued").asInt()).isEqualTo(1);
        assertThat(jobRows("1 = 1")).as("no job of the tenant was queued").isZero();

        // Room for one queued job: the trials go through one at a time as the worker takes them. Each trial trains
        // 2,000 steps, a few hundred ms, so that the looks below (every 100 ms) see every trial while it is live:
        // with 60 steps all four once ran between two looks and none was seen.
        setQuota(1);
        AtomicInteger mostQueued = new AtomicInteger();
        AtomicInteger mostLive = new AtomicInteger();
        AtomicInteger looks = new AtomicInteger();
        JsonNode done = awaitEnd(team, id, sweep -> {
            // One read of the job rows per look, so a job moving from QUEUED to RUNNING is counted once.
            List<String> statuses = db.queryForList("SELECT status FROM training_job WHERE tenant = ?", String.class, TENANT);
            mostQueued.accumulateAndGet((int) statuses.stream().filter("QUEUED"::equals).count(), Math::max);
            mostLive.accumulateAndGet((int) statuses.stream().filter(s -> s.equals("QUEUED") || s.equals("RUNNING")).count(), Math::max);
            looks.incrementAndGet();
        });

        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(mostQueued.get()).as("the tenant's queued jobs at any of %d looks", looks.get()).isLessThanOrEqualTo(1);
        assertThat(mostLive.get()).as("trials queued or running at once").isBetween(1, 3);
        assertThat(done.at("/counts/succeeded").asInt()).isEqualTo(4);
        JsonNode jobs = team.get("/api/jobs?size=200&label=sweep=" + id).json();
        assertThat(jobs.get("totalItems").asInt()).as("every trial ran exactly once").isEqualTo(4);
        Set<String> numbers = new HashSet<>();
        Map<Integer, Instant> created = new HashMap<>();
        for (JsonNode job : jobs.get("items")) {
            String number = job.at("/spec/labels/sweep-trial").asString();
            numbers.add(number);
            created.put(Integer.parseInt(number), Instant.parse(job.get("createdAt").asString()));
            assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(job.get("attempt").asInt()).isEqualTo(1);
        }
        assertThat(numbers).containsExactlyInAnyOrder("1", "2", "3", "4");
        for (int n = 1; n < 4; n++) {
            assertThat(created.get(n)).as("trial %d queued no later than trial %d: no later trial overtakes", n, n + 1)
                    .isBeforeOrEqualTo(created.get(n + 1));
        }
        assertThat(db.queryForObject("SELECT COUNT(DISTINCT job_id) FROM sweep_trial WHERE sweep_id = ?", Integer.class, id))
                .isEqualTo(4);
    }

    private void setQuota(int maxQueuedJobs) {
        Api.Response r = admin.request("PUT", "/api/tenants/" + TENANT + "/quota", "{\"maxQueuedJobs\": " + maxQueuedJobs + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    /** Until when the sweep's driver holds it: each tick it renews, so this moves on with every tick. */
    private Instant leaseUntil(String id) {
        Timestamp until = db.queryForObject("SELECT lease_expires_at FROM sweep WHERE id = ?", Timestamp.class, id);
        return until == null ? Instant.MIN : until.toInstant();
    }

    private int jobRows(String where) {
        Integer n = db.queryForObject("SELECT COUNT(*) FROM training_job WHERE tenant = ? AND " + where, Integer.class, TENANT);
        return n == null ? 0 : n;
    }
}
