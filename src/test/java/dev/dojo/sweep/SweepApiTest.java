package dev.dojo.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Sweeps end to end over real HTTP, with a real worker training the sine task on H2. */
class SweepApiTest extends SweepNode {

    @Test
    void gridSweepRunsEveryCombinationOnceWithinItsParallelism() {
        Api team = keyOf("sweep-grid");
        String id = start(team, """
                {"base": {"task": "sine-regression", "hyperparameters": {"epochs": 60, "logEverySteps": 10}},
                 "space": {"hyperparameters.learningRate": {"values": [0.001, 0.01]},
                           "hyperparameters.hiddenUnits": {"values": [[16], [32, 32]]}},
                 "objective": {"metric": "train_loss", "mode": "min"}, "parallelism": 2}""");
        JsonNode done = awaitEnd(team, id, sweep -> {});

        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        // Read from the job rows' own times rather than sampled while it ran: a 60-epoch trial can
        // start and end between two looks, so sampling could see none live.
        assertThat(mostAtOnce(team.get("/api/jobs?size=200&label=sweep=" + id).json().get("items")))
                .as("trials queued or running at once (createdAt to finishedAt)").isEqualTo(2);
        assertThat(done.get("tenant").asString()).isEqualTo("sweep-grid");
        assertThat(done.get("algorithm").asString()).isEqualTo("grid");
        assertThat(done.get("maxTrials").asInt()).isEqualTo(4);
        assertThat(done.get("parallelism").asInt()).isEqualTo(2);
        assertThat(done.at("/objective/metric").asString()).isEqualTo("train_loss");
        assertThat(done.at("/counts/succeeded").asInt()).isEqualTo(4);
        assertThat(done.get("endedAt").isNull()).isFalse();
        assertThat(done.at("/request/space/hyperparameters.learningRate/values/1").asDouble()).isEqualTo(0.01);

        JsonNode trials = done.get("trials");
        assertThat(trials.size()).isEqualTo(4);
        Set<String> combinations = new HashSet<>();
        Set<String> jobIds = new HashSet<>();
        double bestLoss = Double.MAX_VALUE;
        for (int n = 1; n <= 4; n++) {
            JsonNode t = trials.get(n - 1);
            assertThat(t.get("number").asInt()).isEqualTo(n);
            assertThat(t.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(t.get("stoppedBy").isNull()).isTrue();
            JsonNode job = team.get("/api/jobs/" + t.get("jobId").asString()).json();
            assertThat(job.at("/spec/labels/sweep").asString()).isEqualTo(id);
            assertThat(job.at("/spec/labels/sweep-trial").asString()).isEqualTo(String.valueOf(n));
            assertThat(job.at("/spec/hyperparameters/learningRate").asDouble())
                    .isEqualTo(t.at("/parameters/hyperparameters.learningRate").asDouble());
            assertThat(job.at("/spec/hyperparameters/hiddenUnits")).isEqualTo(t.at("/parameters/hyperparameters.hiddenUnits"));
            assertThat(job.at("/spec/hyperparameters/epochs").asInt()).isEqualTo(60);
            assertThat(t.get("objective").asDouble()).isEqualTo(job.at("/latestMetrics/train_loss/value").asDouble());
            combinations.add(t.get("parameters").toString());
            jobIds.add(t.get("jobId").asString());
            bestLoss = Math.min(bestLoss, t.get("objective").asDouble());
        }
        assertThat(combinations).hasSize(4);
        assertThat(jobIds).hasSize(4);
        assertThat(team.get("/api/jobs?label=sweep=" + id).json().get("totalItems").asInt())
                .as("every trial ran exactly once").isEqualTo(4);
        assertThat(done.at("/best/objective").asDouble()).isEqualTo(bestLoss);
    }

    @Test
    void randomSweepDrawsEveryTrialFromItsRangesOnce() {
        Api team = keyOf("sweep-random");
        String id = start(team, """
                {"base": {"task": "sine-regression", "hyperparameters": {"epochs": 300}},
                 "space": {"hyperparameters.learningRate": {"min": 0.0001, "max": 0.01, "log": true},
                           "hyperparameters.seed": {"min": 0, "max": 1000, "int": true}},
                 "algorithm": "random", "seed": 7, "maxTrials": 3, "parallelism": 1,
                 "objective": {"metric": "train_loss", "mode": "min"}}""");
        AtomicInteger mostLive = new AtomicInteger();
        JsonNode done = awaitEnd(team, id, sweep -> mostLive.accumulateAndGet(
                sweep.at("/counts/queued").asInt() + sweep.at("/counts/running").asInt(), Math::max));

        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        // A short trial may start and end between two looks, so a look may see none live; never two.
        assertThat(mostLive.get()).as("trials live at once, parallelism 1").isLessThanOrEqualTo(1);
        JsonNode trials = done.get("trials");
        assertThat(trials.size()).isEqualTo(3);
        List<Double> rates = new ArrayList<>();
        for (JsonNode t : trials) {
            double lr = t.at("/parameters/hyperparameters.learningRate").asDouble();
            JsonNode seed = t.at("/parameters/hyperparameters.seed");
            assertThat(lr).isBetween(0.0001, 0.01);
            assertThat(seed.isIntegralNumber()).as(seed.toString()).isTrue();
            assertThat(seed.asLong()).isBetween(0L, 1000L);
            JsonNode job = team.get("/api/jobs/" + t.get("jobId").asString()).json();
            assertThat(job.at("/spec/hyperparameters/seed").asLong()).isEqualTo(seed.asLong());
            assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
            rates.add(lr);
        }
        assertThat(new HashSet<>(rates)).as("three draws").hasSize(3);
        assertThat(team.get("/api/jobs?label=sweep=" + id).json().get("totalItems").asInt()).isEqualTo(3);
    }

    @Test
    void reachingTheGoalEndsTheSweepAndCancelsTheTrialsStillQueuedOrRunning() {
        Api team = keyOf("sweep-goal");
        // Grid order: (0.01, 400 epochs), (0.01, 30,000), (1e-7, 400), (1e-7, 30,000). Trial 1 reaches the
        // goal in a fraction of a second; trial 2 runs beside it on the node's second slot and needs many
        // seconds, so it is surely still running when the goal stop comes (short trials alone could all
        // end between two driver ticks, leaving nothing to cancel). Trial 3 waits for a slot.
        String id = start(team, """
                {"base": {"task": "sine-regression", "hyperparameters": {"logEverySteps": 10}},
                 "space": {"hyperparameters.learningRate": {"values": [0.01, 1e-7]},
                           "hyperparameters.epochs": {"values": [400, 30000]}},
                 "objective": {"metric": "train_loss", "mode": "min", "goal": 0.1}, "parallelism": 3}""");
        JsonNode done = awaitEnd(team, id, sweep -> {});

        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("reason").asString()).contains("trial 1 reached the goal");
        assertThat(done.at("/best/number").asInt()).isEqualTo(1);
        assertThat(done.at("/best/objective").asDouble()).isLessThanOrEqualTo(0.1);
        JsonNode trials = done.get("trials");
        assertThat(trials.size()).as("trials launched before the goal").isLessThan(4);
        int cancelled = 0;
        for (JsonNode t : trials) {
            if (t.get("number").asInt() == 1) {
                continue;
            }
            JsonNode job = team.await(t.get("jobId").asString(), 60);
            assertThat(job.get("status").asString()).isIn("CANCELLED", "SUCCEEDED");
            if (job.get("status").asString().equals("CANCELLED")) {
                cancelled++;
                assertThat(job.get("failureReason").asString()).contains("sweep " + id + " ended SUCCEEDED");
            }
        }
        assertThat(cancelled).as("trials cancelled by the goal stop").isPositive();
        assertThat(team.get("/api/jobs?label=sweep=" + id + "&status=QUEUED").json().get("totalItems").asInt()).isZero();
        assertThat(team.post("/api/sweeps/" + id + "/cancel", null).status()).as("an ended sweep").isEqualTo(409);
    }

    @Test
    void cancellingASweepCancelsItsLiveTrialsAndLaunchesNoMore() {
        Api team = keyOf("sweep-cancel");
        String id = start(team, """
                {"base": {"task": "sine-regression", "hyperparameters": {"epochs": 100000, "logEverySteps": 100}},
                 "space": {"hyperparameters.seed": {"values": [1, 2, 3, 4]}},
                 "objective": {"metric": "train_loss", "mode": "min"}, "parallelism": 2}""");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2))
                .until(() -> team.get("/api/sweeps/" + id).json().at("/counts/running").asInt() >= 1);

        Api.Response cancelled = team.post("/api/sweeps/" + id + "/cancel", null);
        assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.json().get("reason").asString()).isEqualTo("cancelled by request");
        assertThat(cancelled.json().get("endedAt").isNull()).isFalse();
        JsonNode trials = cancelled.json().get("trials");
        assertThat(trials.size()).as("trials launched: the parallelism").isEqualTo(2);
        for (JsonNode t : trials) {
            JsonNode job = team.await(t.get("jobId").asString(), 60);
            assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
            assertThat(job.get("failureReason").asString()).startsWith("sweep " + id + " was cancelled");
        }
        JsonNode after = team.get("/api/sweeps/" + id).json();
        assertThat(after.at("/counts/cancelled").asInt()).isEqualTo(2);
        assertThat(team.get("/api/jobs?label=sweep=" + id).json().get("totalItems").asInt()).isEqualTo(2);
        assertThat(team.post("/api/sweeps/" + id + "/cancel", null).status()).isEqualTo(409);
    }

    @Test
    void moreFailedTrialsThanAllowedEndTheSweepFailed() {
        Api team = keyOf("sweep-failed");
        // A gate no run can pass: every trial ends FAILED (GATE) once trained.
        String id = start(team, """
                {"base": {"task": "sine-regression", "hyperparameters": {"epochs": 20},
                          "gates": [{"metric": "train_loss", "max": 1e-12}]},
                 "space": {"hyperparameters.seed": {"values": [1, 2, 3, 4, 5]}},
                 "objective": {"metric": "train_loss", "mode": "min"}, "parallelism": 1, "maxFailedTrials": 1}""");
        JsonNode done = awaitEnd(team, id, sweep -> {});
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("FAILED");
        assertThat(done.get("reason").asString()).contains("2 trial(s) failed, more than maxFailedTrials 1");
        assertThat(done.at("/counts/failed").asInt()).isEqualTo(2);
        assertThat(done.get("trials").size()).isEqualTo(2);
        assertThat(done.get("best").isNull()).isTrue();
    }

    @Test
    void invalidSweepsAreRefusedNamingTheField() {
        Api team = keyOf("sweep-invalid");
        String base = "{\"task\": \"sine-regression\", \"hyperparameters\": {\"epochs\": 5}}";
        String objective = "\"objective\": {\"metric\": \"train_loss\", \"mode\": \"min\"}";
        String lr = "\"space\": {\"hyperparameters.learningRate\": {\"values\": [0.001]}}";
        refused(team, "{\"base\": " + base + ", \"space\": {\"hyperparameters.learningRat\": {\"values\": [0.1]}}, " + objective + "}",
                "space[\"hyperparameters.learningRat\"]", "not a hyperparameter");
        refused(team, "{\"base\": " + base + ", \"space\": {\"hyperparameters.learningRate\": {\"values\": [0.001, 100]}}, " + objective + "}",
                "space[\"hyperparameters.learningRate\"]", "100");
        refused(team, "{\"base\": " + base + ", \"space\": {\"hyperparameters.batchSize\": {\"values\": [32]}}, " + objective + "}",
                "space[\"hyperparameters.batchSize\"]", "");
        refused(team, "{\"base\": " + base + ", \"space\": {\"hyperparameters.learningRate\": {\"min\": 0.001, \"max\": 50}}, "
                + "\"algorithm\": \"random\", \"maxTrials\": 2, " + objective + "}", "space[\"hyperparameters.learningRate\"]", "50");
        refused(team, "{\"base\": " + base + ", \"space\": {\"hyperparameters.learningRate\": {\"min\": 0.001, \"max\": 0.1}}, " + objective + "}",
                "space[\"hyperparameters.learningRate\"]", "grid");
        refused(team, "{\"base\": " + base + ", " + lr + ", \"objective\": {\"metric\": \"test_accuracy\", \"mode\": \"max\"}}",
                "objective.metric", "never records");
        refused(team, "{\"base\": {\"task\": \"sine-regression\", \"labels\": {\"sweep\": \"mine\"}}, " + lr + ", " + objective + "}",
                "base.labels.sweep", "reserved");
        refused(team, "{\"base\": {\"task\": \"no-such-task\"}, " + lr + ", " + objective + "}", "base.task", "unknown task");
        refused(team, "{\"base\": " + base + ", " + lr + ", " + objective + ", \"maxTrials\": 5000}", "maxTrials", "1000");
        refused(team, "{\"base\": " + base + ", " + lr + ", " + objective + ", \"parallelism\": 0}", "parallelism", "between 1");
        refused(team, "{\"base\": " + base + ", " + lr + ", " + objective + ", \"earlyStopping\": {\"rule\": \"mean\"}}",
                "earlyStopping.rule", "median or asha");
        refused(team, "{\"base\": " + base + ", \"space\": {\"hyperparameters.seed\": {\"values\": [0,1,2,3,4,5,6,7,8,9,10]}, "
                + "\"data.samples\": {\"values\": [2,3,4,5,6,7,8,9,10,11,12]}, \"hyperparameters.epochs\": {\"values\": [1,2,3,4,5,6,7,8,9,10]}}, "
                + objective + "}", "space", "combinations");
        refused(team, "{\"base\": " + base + ", " + lr + ", \"algorithm\": \"random\", " + objective + "}", "maxTrials", "required");
        Api.Response job = team.post("/api/jobs", "{\"task\": \"sine-regression\", \"hyperparameters\": {\"epochs\": 0}}");
        assertThat(job.json().get("title").asString()).as("a job spec's 400 keeps its own title: " + job.text()).isEqualTo("Invalid job spec");
        assertThat(job.json().at("/errors/0/field").asString()).isEqualTo("hyperparameters.epochs");
        assertThat(team.get("/api/sweeps").json().get("totalItems").asInt()).as("no sweep was stored").isZero();
        assertThat(team.get("/api/jobs").json().get("totalItems").asInt()).as("no job was queued").isZero();
    }

    @Test
    void anotherTenantCannotSeeOrCancelASweep() {
        Api owner = keyOf("sweep-owner");
        Api other = keyOf("sweep-other");
        String id = start(owner, """
                {"base": {"task": "sine-regression", "hyperparameters": {"epochs": 5}},
                 "space": {"hyperparameters.seed": {"values": [1]}}, "objective": {"metric": "train_loss", "mode": "min"}}""");
        assertThat(other.get("/api/sweeps/" + id).status()).isEqualTo(404);
        assertThat(other.get("/api/sweeps/" + id).contentType()).startsWith("application/problem+json");
        assertThat(other.post("/api/sweeps/" + id + "/cancel", null).status()).isEqualTo(404);
        assertThat(other.get("/api/sweeps").json().get("totalItems").asInt()).isZero();
        assertThat(owner.get("/api/sweeps").json().at("/items/0/id").asString()).isEqualTo(id);
        assertThat(admin.get("/api/sweeps/" + id).json().get("tenant").asString()).isEqualTo("sweep-owner");
        Api reader = new Api(port).withKey(admin.createKey("sweep-owner", "jobs:read").key());
        assertThat(reader.post("/api/sweeps/" + id + "/cancel", null).status()).as("cancel needs jobs:write").isEqualTo(403);
        JsonNode done = awaitEnd(owner, id, sweep -> {});
        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
    }

    private static void refused(Api api, String sweep, String field, String says) {
        Api.Response r = api.post("/api/sweeps", sweep);
        assertThat(r.status()).as(sweep + " → " + r.text()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("title").asString()).as(r.text()).isEqualTo("Invalid sweep");
        assertThat(r.json().get("status").asInt()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        String message = null;
        for (JsonNode e : r.json().get("errors")) {
            fields.add(e.get("field").asString());
            if (e.get("field").asString().equals(field)) {
                message = e.get("message").asString();
            }
        }
        assertThat(fields).as(r.text()).contains(field);
        assertThat(message).contains(says);
    }

    /** The most jobs whose [createdAt, finishedAt) intervals overlap; an end at t comes before a start at t. */
    static int mostAtOnce(JsonNode jobs) {
        record Edge(Instant at, int step) {}
        List<Edge> edges = new ArrayList<>();
        for (JsonNode job : jobs) {
            edges.add(new Edge(Instant.parse(job.get("createdAt").asString()), +1));
            edges.add(new Edge(Instant.parse(job.get("finishedAt").asString()), -1));
        }
        edges.sort(Comparator.comparing(Edge::at).thenComparingInt(Edge::step));
        int live = 0;
        int most = 0;
        for (Edge edge : edges) {
            live += edge.step();
            most = Math.max(most, live);
        }
        return most;
    }
}
