package dev.dojo.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The median rule on a real sweep: a learning rate that diverges is stopped early, says why, and keeps its checkpoints. */
class SweepEarlyStoppingTest extends SweepNode {

    @Test
    void medianRuleStopsTheDivergingTrialEarlyWithTheReason() {
        Api team = keyOf("sweep-median");
        // One at a time, the diverging rate last: the two sound trials set the median it is judged by.
        String id = start(team, """
                {"base": {"task": "sine-regression", "hyperparameters": {"epochs": 1500, "logEverySteps": 5, "checkpointEvery": 10}},
                 "space": {"hyperparameters.learningRate": {"values": [0.001, 0.002, 10]}},
                 "objective": {"metric": "train_loss", "mode": "min"}, "parallelism": 1,
                 "earlyStopping": {"rule": "median", "minSteps": 50}}""");
        JsonNode done = awaitEnd(team, id, sweep -> {});

        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.at("/counts/succeeded").asInt()).isEqualTo(2);
        assertThat(done.at("/counts/stopped").asInt()).isEqualTo(1);
        assertThat(done.at("/counts/cancelled").asInt()).isZero();
        JsonNode diverged = done.get("trials").get(2);
        assertThat(diverged.at("/parameters/hyperparameters.learningRate").asDouble()).isEqualTo(10.0);
        assertThat(diverged.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(diverged.get("stoppedBy").asString()).isEqualTo("median");
        assertThat(done.at("/best/number").asInt()).isIn(1, 2);

        String jobId = diverged.get("jobId").asString();
        JsonNode job = team.await(jobId, 60);
        assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(job.get("failureReason").asString()).startsWith("STOPPED by sweep " + id + " (median rule)")
                .contains("worse than the median");
        assertThat(job.at("/progress/epoch").asInt()).as("stopped early").isBetween(50, 1499);
        assertThat(team.get("/api/jobs/" + jobId + "/checkpoints").json().size()).as("its checkpoints stay").isPositive();
    }

    @Test
    void ashaStopsTheDivergingTrialAtARung() {
        Api team = keyOf("sweep-asha");
        String id = start(team, """
                {"base": {"task": "sine-regression", "hyperparameters": {"epochs": 1500, "logEverySteps": 5}},
                 "space": {"hyperparameters.learningRate": {"values": [0.001, 0.002, 10]}},
                 "objective": {"metric": "train_loss", "mode": "min"}, "parallelism": 1,
                 "earlyStopping": {"rule": "asha", "reductionFactor": 3, "minEpochs": 50}}""");
        JsonNode done = awaitEnd(team, id, sweep -> {});

        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        JsonNode first = done.get("trials").get(0);
        assertThat(first.get("status").asString()).as("the first trial has no rival at any rung").isEqualTo("SUCCEEDED");
        JsonNode diverged = done.get("trials").get(2);
        assertThat(diverged.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(diverged.get("stoppedBy").asString()).isEqualTo("asha");
        JsonNode job = team.await(diverged.get("jobId").asString(), 60);
        assertThat(job.get("failureReason").asString()).startsWith("STOPPED by sweep " + id + " (asha rule)").contains("rung");
        assertThat(job.at("/progress/epoch").asInt()).as("stopped early").isBetween(50, 1499);
    }
}
