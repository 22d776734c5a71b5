package dev.dojo.job;

import dev.dojo.training.DataSpec;
import dev.dojo.training.Hyperparameters;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** A job spec as a client posts it; every field but {@code task} may be omitted. */
@Schema(example = """
        {"task": "sine-regression", "name": "seed sine", "hyperparameters": {"epochs": 500, "learningRate": 0.001,
         "optimizer": "adam", "loss": "mse", "hiddenUnits": [512], "activation": "tanh", "seed": 0},
         "data": {"samples": 64, "noise": 0.2}, "priority": 0, "maxRuntimeSeconds": 600,
         "labels": {"git.sha": "abc123", "branch": "main"}, "gates": [{"metric": "train_loss", "max": 0.05}]}""")
public record JobRequest(
        @Schema(description = "Task to train; see GET /api/tasks", example = "sine-regression") String task,
        @Schema(description = "A label for people; optional") String name,
        Hyperparameters hyperparameters,
        DataSpec data,
        @Schema(description = "Higher runs first; -1000 to 1000, default 0") Integer priority,
        @Schema(description = "Wall-clock limit for one job, 1 to 604800 s; default none") Integer maxRuntimeSeconds,
        @Schema(description = "GPUs the job needs on one worker, 0 to 8; default 0 (any device). A job needing GPUs "
                + "waits in the queue until a worker with that many claims it; it never runs on a CPU") Integer gpus,
        @Schema(description = "Up to 32 labels, e.g. {\"git.sha\": \"abc123\", \"branch\": \"main\"}: keys 1 to 63 letters, digits, "
                + "'.', '_', '-' or '/', starting and ending with a letter or digit; values 0 to 255 printable characters. "
                + "GET /api/jobs?label=key=value filters by them; keep=true spares a job from dojo.jobs.retention")
        @tools.jackson.databind.annotation.JsonDeserialize(contentUsing = LabelValueReader.class) java.util.Map<String, String> labels,
        @Schema(description = "Keep only the newest N checkpoints (0 to 10000; the newest, the final one, is always kept); "
                + "default: keep all") Integer keepCheckpoints,
        @Schema(description = "Quality gates, at most 16, checked on each metric's final value when training ends: all hold, "
                + "SUCCEEDED; any missed, FAILED with a failureReason starting GATE (not retried; its checkpoints stay usable)")
        List<Gate> gates,
        @Schema(description = "Start from another job's weights instead of random ones (the optimizer starts fresh); the two "
                + "networks must match parameter by parameter") InitFrom initFrom,
        @Schema(description = "With initFrom: layers whose weights stay fixed, by their PyTorch names as GET /api/jobs/{id}/model "
                + "shows them (pytorchName without .weight/.bias), e.g. [\"conv1\", \"conv2\"]; at most 16") List<String> freeze,
        @Schema(description = "With initFrom: layers that start from fresh random weights (drawn from the seed) instead of the "
                + "source's, named as in freeze, e.g. a new classifier head [\"fc1\", \"fc2\"]; at most 16, none also frozen")
        List<String> reset,
        @Schema(description = "A named set of hyperparameter defaults to start from (see each task's recipes in GET "
                + "/api/tasks); the spec's own hyperparameters override it. Default \"seed\", the task's own defaults",
                example = "fast") String recipe) {


    /** A request without labels, gates or a warm start. */
    public JobRequest(String task, String name, Hyperparameters hyperparameters, DataSpec data, Integer priority,
                      Integer maxRuntimeSeconds, Integer gpus) {
        this(task, name, hyperparameters, data, priority, maxRuntimeSeconds, gpus, null, null, null, null, null, null, null);
    }

    /** A request naming only the task, a name and hyperparameters; everything else takes its default. */
    public static JobRequest of(String task, String name, Hyperparameters hyperparameters) {
        return new JobRequest(task, name, hyperparameters, null, null, null, null);
    }
}
