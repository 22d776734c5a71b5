package dev.dojo.prediction;

import dev.dojo.checkpoint.CheckpointInfo;
import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.job.JobService;
import dev.dojo.job.JobSpec;
import dev.dojo.system.DomainProblem;
import dev.dojo.training.MnistTask;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainedModel;
import dev.dojo.training.TrainingTask;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Decodes instances, runs them through the job's model in one forward pass, and shapes the output.
 * A job that has ended never changes again, so its spec and latest checkpoint are kept after the
 * first request and later requests reach the database not at all; a running job's latest
 * checkpoint is looked up on every request.
 */
@Service
class PredictionService {

    private static final int FINISHED_JOBS_KEPT = 1024;

    /** What serving an ended job needs: its spec, and its last checkpoint (which can no longer change). */
    private record Finished(JobSpec spec, CheckpointInfo latest) {}

    private final Map<String, Finished> finished = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Finished> eldest) {
            return size() > FINISHED_JOBS_KEPT;
        }
    });

    private final JobService jobs;
    private final CheckpointStore checkpoints;
    private final TaskCatalog tasks;
    private final ModelCache cache;
    private final PredictionSettings settings;
    private final MeterRegistry meters;

    PredictionService(JobService jobs, CheckpointStore checkpoints, TaskCatalog tasks, ModelCache cache, PredictionSettings settings,
                      MeterRegistry meters) {
        this.meters = meters;
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.tasks = tasks;
        this.cache = cache;
        this.settings = settings;
    }

    /** JSON instances: numbers for sine, 28×28 arrays or {"b64": …} images for the classifiers. */
    PredictionController.PredictResponse predict(String jobId, Integer checkpointNumber, List<JsonNode> instances,
                                                 DigitImages.Invert invert) {
        JobSpec spec = spec(jobId);
        checkCount(instances == null ? 0 : instances.size());
        TrainingTask task = tasks.get(spec.task());
        float[] inputs = task instanceof MnistTask ? InstanceDecoder.images(instances, invert) : InstanceDecoder.numbers(instances);
        return run(jobId, spec, task, checkpointNumber, inputs, instances.size());
    }

    /** Uploaded image files, for the classifier tasks. */
    PredictionController.PredictResponse predictImages(String jobId, Integer checkpointNumber, List<byte[]> images,
                                                       DigitImages.Invert invert) {
        JobSpec spec = spec(jobId);
        checkCount(images.size());
        TrainingTask task = tasks.get(spec.task());
        if (!(task instanceof MnistTask)) {
            throw DomainProblem.badField("Invalid prediction request", "image",
                    "task " + spec.task() + " takes numbers, not images; send {\"instances\": [0.5]}");
        }
        float[] inputs = new float[images.size() * DigitImages.SIDE * DigitImages.SIDE];
        for (int i = 0; i < images.size(); i++) {
            float[] one = InstanceDecoder.fromImageBytes(i, images.get(i), invert);
            System.arraycopy(one, 0, inputs, i * one.length, one.length);
        }
        return run(jobId, spec, task, checkpointNumber, inputs, images.size());
    }

    /**
     * Times the model part of a request (loading on a cache miss, and the forward pass) as
     * {@code dojo.prediction.latency}, with a histogram so that percentiles can be computed across nodes.
     */
    private PredictionController.PredictResponse run(String jobId, JobSpec spec, TrainingTask task, Integer checkpointNumber,
                                                     float[] inputs, int count) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "error";
        try {
            PredictionController.PredictResponse response = forward(jobId, spec, task, checkpointNumber, inputs, count);
            outcome = "ok";
            return response;
        } finally {
            sample.stop(Timer.builder("dojo.prediction.latency")
                    .description("Time to answer a prediction from a loaded or freshly loaded model")
                    .tags("task", spec.task(), "outcome", outcome)
                    .publishPercentileHistogram()
                    .register(meters));
        }
    }

    private PredictionController.PredictResponse forward(String jobId, JobSpec spec, TrainingTask task, Integer checkpointNumber,
                                                         float[] inputs, int count) {
        CheckpointInfo checkpoint = pick(jobId, checkpointNumber);
        try (ModelCache.Handle handle = cache.acquire(new ModelCache.Key(jobId, checkpoint.number()),
                () -> TrainedModel.load(task, spec.training(), checkpoints.read(jobId, checkpoint.number()), ModelCache.device()))) {
            float[][] out = handle.model().forward(inputs, count);
            List<Object> predictions = new ArrayList<>(out.length);
            if (task instanceof MnistTask classifier) {
                classifier.classifier().classify(out).forEach(p ->
                        predictions.add(new PredictionController.ClassPrediction(p.label(), p.probabilities())));
            } else {
                for (float[] row : out) {
                    predictions.add((double) row[0]);
                }
            }
            return new PredictionController.PredictResponse(predictions, checkpoint.number());
        }
    }

    private void checkCount(int count) {
        if (count == 0) {
            throw DomainProblem.badField("Invalid prediction request", "instances",
                    "must hold at least one instance, e.g. {\"instances\": [0.5]}");
        }
        if (count > settings.maxInstances()) {
            throw DomainProblem.badField("Invalid prediction request", "instances",
                    "at most " + settings.maxInstances() + " per request, got " + count);
        }
    }

    /** The job's spec; an ended job's is remembered with its last checkpoint. */
    private JobSpec spec(String jobId) {
        Finished known = finished.get(jobId);
        if (known != null) {
            return known.spec();
        }
        JobService.SpecAndStatus job = jobs.specAndStatus(jobId);
        if (job.status().isTerminal()) {
            checkpoints.latest(jobId).ifPresent(latest -> finished.put(jobId, new Finished(job.spec(), latest)));
        }
        return job.spec();
    }

    private CheckpointInfo pick(String jobId, Integer number) {
        Finished known = number == null ? finished.get(jobId) : null;
        if (known != null) {
            return known.latest();
        }
        if (number == null) {
            return checkpoints.latest(jobId).orElseThrow(() -> new DomainProblem(HttpStatus.CONFLICT, "No checkpoint yet",
                    "Job " + jobId + " has no checkpoint yet; predictions are served once the first one is written."));
        }
        return checkpoints.find(jobId, number).orElseThrow(() -> new DomainProblem(HttpStatus.NOT_FOUND,
                "Checkpoint not found", "Job " + jobId + " has no checkpoint " + number + "."));
    }
}
