package dev.dojo.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dojo.job.JobRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.LinkedHashMap;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** A sweep as a client posts it (see docs/sweeps.md). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(example = """
        {"base": {"task": "sine-regression", "hyperparameters": {"epochs": 300}},
         "space": {"hyperparameters.learningRate": {"min": 1e-4, "max": 1e-1, "log": true},
                   "hyperparameters.hiddenUnits": {"values": [[64], [512], [512, 512]]}},
         "algorithm": "random", "seed": 7, "objective": {"metric": "train_loss", "mode": "min", "goal": 0.05},
         "maxTrials": 12, "parallelism": 3, "maxFailedTrials": 2, "earlyStopping": {"rule": "median", "minSteps": 50}}""")
record SweepRequest(
        @Schema(description = "A job spec, exactly what POST /api/jobs takes; each trial is this spec with its parameters set. "
                + "It may not set the labels sweep or sweep-trial") JobRequest base,
        @Schema(description = "Dotted paths (hyperparameters.* or data.*) to the values a trial tries, 1 to "
                + SweepPlans.MAX_DIMENSIONS + " of them") LinkedHashMap<String, Dimension> space,
        @Schema(description = "grid (every combination of values; the default) or random", example = "grid") String algorithm,
        @Schema(description = "Seeds the random algorithm; default 0") Long seed,
        Objective objective,
        @Schema(description = "Trials at most, 1 to " + SweepPlans.MAX_TRIALS + "; default: the grid's size (grid), required for random")
        Integer maxTrials,
        @Schema(description = "Trials queued or running at once, 1 to " + SweepPlans.MAX_PARALLELISM + "; default 1") Integer parallelism,
        @Schema(description = "The sweep ends FAILED once more trials than this failed; default: every trial may fail "
                + "(the sweep then fails only when none succeeded)") Integer maxFailedTrials,
        @Schema(description = "Absent: none. {\"rule\":\"median\",\"minSteps\":50} or {\"rule\":\"asha\",\"reductionFactor\":3,\"minEpochs\":1}")
        EarlyStopping earlyStopping) {

    /** What one path tries: listed values, or a uniform (optionally log-uniform, optionally integer) range. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Dimension(
            @Schema(description = "The values to try, 1 to " + SweepPlans.MAX_VALUES + "; any JSON the field takes, lists included")
            List<JsonNode> values,
            Double min,
            Double max,
            @Schema(description = "Sample log-uniformly between min and max (both above 0)") Boolean log,
            @JsonProperty("int") @Schema(description = "Round sampled values to integers") Boolean integer) {}

    /** The metric a trial is judged by, its better direction, and an optional goal that ends the sweep. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Objective(
            @Schema(description = "A metric the task records (GET /api/tasks lists them)", example = "train_loss") String metric,
            @Schema(description = "max or min", example = "min") String mode,
            @Schema(description = "The sweep ends SUCCEEDED when a trial ends with a value this good") Double goal) {}

    /** An early-stopping rule and its settings. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EarlyStopping(
            @Schema(description = "median or asha") String rule,
            @Schema(description = "median: judge a trial only past this step; default 0") Integer minSteps,
            @Schema(description = "median: judge only when this many trials (the judged one included) reached the step; default 3")
            Integer minTrials,
            @Schema(description = "asha: keep the best 1/reductionFactor at each rung, 2 to 10; default 3") Integer reductionFactor,
            @Schema(description = "asha: the first rung, in epochs; rungs at minEpochs × reductionFactor^k; default 1") Integer minEpochs) {}
}
