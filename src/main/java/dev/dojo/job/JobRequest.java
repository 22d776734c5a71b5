package dev.dojo.job;

import dev.dojo.training.DataSpec;
import dev.dojo.training.Hyperparameters;
import io.swagger.v3.oas.annotations.media.Schema;

/** A job spec as a client posts it; every field but {@code task} may be omitted. */
@Schema(example = """
        {"task": "sine-regression", "name": "seed sine", "hyperparameters": {"epochs": 500, "learningRate": 0.001,
         "optimizer": "adam", "loss": "mse", "hiddenUnits": [512], "activation": "tanh", "seed": 0},
         "data": {"samples": 64, "noise": 0.2}, "priority": 0, "maxRuntimeSeconds": 600}""")
public record JobRequest(
        @Schema(description = "Task to train; see GET /api/tasks", example = "sine-regression") String task,
        @Schema(description = "A label for people; optional") String name,
        Hyperparameters hyperparameters,
        DataSpec data,
        @Schema(description = "Higher runs first; -1000 to 1000, default 0") Integer priority,
        @Schema(description = "Wall-clock limit for one job, 1 to 604800 s; default none") Integer maxRuntimeSeconds,
        @Schema(description = "GPUs the job needs on one worker, 0 to 8; default 0 (any device). A job needing GPUs "
                + "waits in the queue until a worker with that many claims it; it never runs on a CPU") Integer gpus) {

    /** A request that leaves {@code gpus} at its default. */
    public JobRequest(String task, String name, Hyperparameters hyperparameters, DataSpec data, Integer priority,
                      Integer maxRuntimeSeconds) {
        this(task, name, hyperparameters, data, priority, maxRuntimeSeconds, null);
    }
}
