package dev.dojo.prediction;

import dev.dojo.checkpoint.CheckpointInfo;
import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.job.JobService;
import dev.dojo.job.JobSpec;
import dev.dojo.system.DomainProblem;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/** Decodes instances, runs them through the job's model in one forward pass, and shapes the output. */
@Service
class PredictionService {

    private final JobService jobs;
    private final CheckpointStore checkpoints;
    private final TaskCatalog tasks;
    private final ModelCache cache;
    private final PredictionSettings settings;

    PredictionService(JobService jobs, CheckpointStore checkpoints, TaskCatalog tasks, ModelCache cache, PredictionSettings settings) {
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.tasks = tasks;
        this.cache = cache;
        this.settings = settings;
    }

    PredictionController.PredictResponse predict(String jobId, Integer checkpointNumber, List<JsonNode> instances) {
        JobSpec spec = jobs.spec(jobId);
        if (instances == null || instances.isEmpty()) {
            throw new DomainProblem(HttpStatus.BAD_REQUEST, "Invalid prediction request",
                    "instances: must hold at least one instance, e.g. {\"instances\": [0.5]}",
                    Map.of("errors", List.of(Map.of("field", "instances", "message", "must hold at least one instance"))));
        }
        if (instances.size() > settings.maxInstances()) {
            throw new DomainProblem(HttpStatus.BAD_REQUEST, "Invalid prediction request",
                    "instances: at most " + settings.maxInstances() + " per request, got " + instances.size(),
                    Map.of("errors", List.of(Map.of("field", "instances", "message", "at most " + settings.maxInstances()))));
        }
        CheckpointInfo checkpoint = pick(jobId, checkpointNumber);
        float[] inputs = decodeNumbers(instances);
        try (ModelCache.Handle handle = cache.acquire(new ModelCache.Key(jobId, checkpoint.number()),
                () -> TrainedModel.load(tasks.get(spec.task()), spec.training(), checkpoints.read(jobId, checkpoint.number()),
                        ModelCache.device()))) {
            float[][] out = handle.model().forward(inputs, instances.size());
            List<Object> predictions = new ArrayList<>(out.length);
            for (float[] row : out) {
                predictions.add((double) row[0]);
            }
            return new PredictionController.PredictResponse(predictions, checkpoint.number());
        }
    }

    private CheckpointInfo pick(String jobId, Integer number) {
        if (number == null) {
            return checkpoints.latest(jobId).orElseThrow(() -> new DomainProblem(HttpStatus.CONFLICT, "No checkpoint yet",
                    "Job " + jobId + " has no checkpoint yet; predictions are served once the first one is written."));
        }
        return checkpoints.find(jobId, number).orElseThrow(() -> new DomainProblem(HttpStatus.NOT_FOUND,
                "Checkpoint not found", "Job " + jobId + " has no checkpoint " + number + "."));
    }

    /** Sine instances: each a number, or a one-element array holding one. */
    private static float[] decodeNumbers(List<JsonNode> instances) {
        float[] values = new float[instances.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode node = instances.get(i);
            if (node != null && node.isArray() && node.size() == 1) {
                node = node.get(0);
            }
            if (node == null || !node.isNumber()) {
                throw DomainProblem.badInstance(i, "must be a number (the x to predict at), was " + node);
            }
            double x = node.doubleValue();
            if (!Double.isFinite(x) || Math.abs(x) > 1e6) {
                throw DomainProblem.badInstance(i, "must be a finite number within ±1e6, was " + x);
            }
            values[i] = (float) x;
        }
        return values;
    }
}
