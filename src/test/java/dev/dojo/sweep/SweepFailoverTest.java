package dev.dojo.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.support.Api;
import dev.dojo.support.Cluster;
import dev.dojo.support.NodeProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * A split deployment on PostgreSQL (two api JVMs, two single-slot worker JVMs), shared by two tests in
 * order. First a seeded random sweep runs every trial exactly once across the two workers, with no more
 * than {@code parallelism} trials queued or running at any sampled moment of the job rows. Then the api
 * node driving a grid sweep is killed with SIGKILL mid-way; the other api node takes the sweep over once
 * its lease runs out and finishes it, with every trial run exactly once and the parallelism held throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SweepFailoverTest {

    private static final int TRIALS = 8;
    private static final int RANDOM_TRIALS = 6;
    private static final Map<String, String> SETTINGS = Map.of(
            "dojo.sweeps.tick", "200ms", "dojo.sweeps.lease", "3s", "dojo.queue.lease", "3s",
            "dojo.worker.heartbeat-interval", "500ms", "dojo.queue.sweep-interval", "500ms", "dojo.worker.poll-interval", "200ms");

    private Cluster cluster;
    private NodeProcess second;

    @BeforeAll
    void cluster() {
        cluster = new Cluster("sweepfailover", SETTINGS);
        cluster.startWorkers(2);
        cluster.awaitReady();
        second = cluster.startApi("sweepfailover-api2");
    }

    @AfterAll
    void close() {
        try (Cluster c = cluster; NodeProcess s = second) {
            // the second api node closed, then the cluster (its workers, api node and schema)
        }
    }

    @Test
    @Order(1)
    void randomSweepRunsEveryTrialOnceAcrossTwoWorkersWithinItsParallelism() {
        Api api = cluster.api();
        String id = SweepNode.start(api, """
                {"base": {"task": "sine-regression", "hyperparameters": {"epochs": 400, "logEverySteps": 10}},
                 "space": {"hyperparameters.learningRate": {"min": 0.0005, "max": 0.05, "log": true},
                           "hyperparameters.seed": {"min": 0, "max": 1000, "int": true},
                           "hyperparameters.hiddenUnits": {"values": [[16], [32], [64, 64]]}},
                 "algorithm": "random", "seed": 11, "maxTrials": %d, "parallelism": 2,
                 "objective": {"metric": "train_loss", "mode": "min"}}""".formatted(RANDOM_TRIALS));
        String ofSweep = " FROM training_job j WHERE EXISTS (SELECT 1 FROM job_label l WHERE l.job_id = j.id "
                + "AND l.label_key = 'sweep' AND l.label_value = ?)";
        AtomicInteger mostLive = new AtomicInteger();
        AtomicInteger looks = new AtomicInteger();
        JsonNode done = SweepNode.awaitEnd(api, id, sweep -> {
            // One statement over the job rows per look, so a job moving from QUEUED to RUNNING is counted once.
            Integer live = cluster.db().queryForObject("SELECT COUNT(*)" + ofSweep + " AND j.status IN ('QUEUED', 'RUNNING')",
                    Integer.class, id);
            mostLive.accumulateAndGet(live == null ? 0 : live, Math::max);
            looks.incrementAndGet();
        });

        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("algorithm").asString()).isEqualTo("random");
        assertThat(mostLive.get()).as("trials queued or running at once, over %d looks of the job rows", looks.get()).isBetween(1, 2);
        // Each trial number has exactly one job, and each job ran once.
        Map<String, Integer> jobsByTrial = new HashMap<>();
        cluster.db().query("SELECT l.label_value, COUNT(*) FROM job_label l WHERE l.label_key = 'sweep-trial' AND l.job_id IN (SELECT j.id"
                + ofSweep + ") GROUP BY l.label_value", rs -> {
                    jobsByTrial.put(rs.getString(1), rs.getInt(2));
                }, id);
        assertThat(jobsByTrial).containsOnlyKeys("1", "2", "3", "4", "5", "6").allSatisfy((n, count) -> assertThat(count).isEqualTo(1));
        List<Map<String, Object>> jobs = cluster.db().queryForList("SELECT j.status, j.attempt" + ofSweep, id);
        assertThat(jobs).hasSize(RANDOM_TRIALS).allSatisfy(j -> {
            assertThat(j.get("status")).isEqualTo("SUCCEEDED");
            assertThat(((Number) j.get("attempt")).intValue()).isEqualTo(1);
        });
        Integer workers = cluster.db().queryForObject("SELECT COUNT(DISTINCT a.worker_id) FROM job_attempt a WHERE a.job_id IN (SELECT j.id"
                + ofSweep + ")", Integer.class, id);
        // The draws: inside their ranges, integers where asked, and one set of parameters per trial.
        Set<String> draws = new HashSet<>();
        for (JsonNode t : done.get("trials")) {
            assertThat(t.at("/parameters/hyperparameters.learningRate").asDouble()).isBetween(0.0005, 0.05);
            JsonNode seed = t.at("/parameters/hyperparameters.seed");
            assertThat(seed.isIntegralNumber()).as(seed.toString()).isTrue();
            assertThat(seed.asLong()).isBetween(0L, 1000L);
            assertThat(t.at("/parameters/hyperparameters.hiddenUnits").toString()).isIn("[16]", "[32]", "[64,64]");
            draws.add(t.get("parameters").toString());
        }
        assertThat(draws).hasSize(RANDOM_TRIALS);
        System.out.println("FIGURE sweep-random-pg trials=" + RANDOM_TRIALS + " workers=" + workers + " looks=" + looks.get());
    }

    @Test
    @Order(2)
    void killingTheDrivingApiNodeHandsTheSweepToAnotherWithEveryTrialOnce() {
        run(cluster, second);
    }

    private static void run(Cluster cluster, NodeProcess second) {
        {
            Api first = cluster.api();
            Api other = new Api(second.port());
            String id = SweepNode.start(first, """
                    {"base": {"task": "sine-regression", "hyperparameters": {"epochs": 400, "hiddenUnits": [64], "logEverySteps": 10}},
                     "space": {"hyperparameters.seed": {"values": [1, 2, 3, 4, 5, 6, 7, 8]}},
                     "objective": {"metric": "train_loss", "mode": "min"}, "parallelism": 2}""");

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> first.get("/api/sweeps/" + id).json().at("/counts/succeeded").asInt() >= 2);
            String driver = cluster.db().queryForObject("SELECT driver FROM sweep WHERE id = ?", String.class, id);
            NodeProcess victim = driver.equals(second.name()) ? second : cluster.apiNode();
            Api survivor = victim == second ? first : other;
            JsonNode before = survivor.get("/api/sweeps/" + id).json();
            assertThat(before.get("status").asString()).as("the sweep is still mid-way when its driver dies").isEqualTo("RUNNING");
            victim.kill9();

            AtomicInteger mostLive = new AtomicInteger();
            JsonNode done = SweepNode.awaitEnd(survivor, id, sweep -> {
                int live = 0;
                for (JsonNode job : survivor.get("/api/jobs?size=200&label=sweep=" + id).json().get("items")) {
                    live += List.of("QUEUED", "RUNNING").contains(job.get("status").asString()) ? 1 : 0;
                }
                mostLive.accumulateAndGet(live, Math::max);
            });

            assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(done.at("/counts/succeeded").asInt()).isEqualTo(TRIALS);
            assertThat(mostLive.get()).isBetween(1, 2);
            String taker = cluster.db().queryForObject("SELECT driver FROM sweep WHERE id = ?", String.class, id);
            long epoch = cluster.db().queryForObject("SELECT lease_epoch FROM sweep WHERE id = ?", Long.class, id);
            assertThat(epoch).as("taken over at least once").isGreaterThanOrEqualTo(2);
            assertThat(taker).as("an ended sweep is driven by nobody").isNull();
            JsonNode jobs = survivor.get("/api/jobs?size=200&label=sweep=" + id).json();
            assertThat(jobs.get("totalItems").asInt()).as("every trial ran exactly once").isEqualTo(TRIALS);
            Set<String> numbers = new HashSet<>();
            for (JsonNode job : jobs.get("items")) {
                numbers.add(job.at("/spec/labels/sweep-trial").asString());
                assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
                assertThat(job.get("attempt").asInt()).isEqualTo(1);
            }
            assertThat(numbers).hasSize(TRIALS);
            assertThat(cluster.db().queryForObject("SELECT COUNT(DISTINCT job_id) FROM sweep_trial WHERE sweep_id = ?", Integer.class, id))
                    .isEqualTo(TRIALS);
        }
    }
}
