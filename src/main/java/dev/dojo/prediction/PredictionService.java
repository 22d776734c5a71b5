package dev.dojo.prediction;

import dev.dojo.checkpoint.CheckpointInfo;
import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.job.JobService;
import dev.dojo.job.JobSpec;
import dev.dojo.queue.JobDeleted;
import dev.dojo.queue.TenantScope;
import dev.dojo.system.DomainProblem;
import dev.dojo.training.InputKind;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainedModel;
import dev.dojo.training.TrainingTask;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Decodes instances, runs them through the job's model in one forward pass (shared with concurrent
 * requests for the same model by {@link PredictionBatches}), and shapes the output.
 * A job that has ended never changes again, so its spec and latest checkpoint are kept after the
 * first request and later requests reach the database only every few seconds (to notice a deletion by another
 * node); a running job's latest
 * checkpoint is looked up on every request.
 */
@Service
class PredictionService {

    private static final int FINISHED_JOBS_KEPT = 1024;

    /**
     * How long an ended job's remembered spec is trusted before the database is asked again: an ended
     * job never changes, but another node may delete it, and then it must stop being served.
     */
    static final long RECHECK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    /** What serving an ended job needs: its spec, and its last checkpoint (which can no longer change). */
    private record Finished(JobSpec spec, CheckpointInfo latest, String tenant, long checkedAt) {
        boolean fresh() {
            return System.nanoTime() - checkedAt < RECHECK_NANOS;
        }
    }

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
    private final PredictionBatches batches;

    PredictionService(JobService jobs, CheckpointStore checkpoints, TaskCatalog tasks, ModelCache cache, PredictionSettings settings,
                      MeterRegistry meters, PredictionBatches batches) {
        this.batches = batches;
        this.meters = meters;
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.tasks = tasks;
        this.cache = cache;
        this.settings = settings;
    }

    /** JSON instances: numbers for sine, 28×28 arrays or {"b64": …} images for the classifiers. */
    PredictionController.PredictResponse predict(String jobId, TenantScope scope, Integer checkpointNumber, List<JsonNode> instances,
                                                 DigitImages.Invert invert) {
        JobSpec spec = spec(jobId, scope);
        checkCount(instances == null ? 0 : instances.size());
        TrainingTask task = tasks.get(spec.task());
        try (PredictionBatches.Arrival arrival = batches.arrive(jobId)) {
            float[] inputs = task.input() instanceof InputKind.GreyImage ? InstanceDecoder.images(instances, invert, settings.pixelBudget())
                    : InstanceDecoder.numbers(instances);
            return run(jobId, spec, task, checkpointNumber, inputs, instances.size(), arrival);
        }
    }

    /** Uploaded image files, for the classifier tasks. */
    PredictionController.PredictResponse predictImages(String jobId, TenantScope scope, Integer checkpointNumber, List<byte[]> images,
                                                       DigitImages.Invert invert) {
        JobSpec spec = spec(jobId, scope);
        checkCount(images.size());
        TrainingTask task = tasks.get(spec.task());
        if (!(task.input() instanceof InputKind.GreyImage)) {
            throw DomainProblem.badField("Invalid prediction request", "image",
                    "task " + spec.task() + " takes numbers, not images; send {\"instances\": [0.5]}");
        }
        try (PredictionBatches.Arrival arrival = batches.arrive(jobId)) {
            float[] inputs = InstanceDecoder.imageFiles(images, invert, settings.pixelBudget());
            return run(jobId, spec, task, checkpointNumber, inputs, images.size(), arrival);
        }
    }

    /**
     * Times the model part of a request (loading on a cache miss, and the forward pass) as
     * {@code dojo.prediction.latency}, with a histogram so that percentiles can be computed across nodes.
     */
    private PredictionController.PredictResponse run(String jobId, JobSpec spec, TrainingTask task, Integer checkpointNumber,
                                                     float[] inputs, int count, PredictionBatches.Arrival arrival) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "error";
        try {
            PredictionController.PredictResponse response = forward(jobId, spec, task, checkpointNumber, inputs, count, arrival);
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
                                                         float[] inputs, int count, PredictionBatches.Arrival arrival) {
        CheckpointInfo checkpoint = pick(jobId, checkpointNumber);
        ModelCache.Key key = new ModelCache.Key(jobId, checkpoint.number());
        float[][] out = batches.forward(key, arrival, inputs, count, (all, instances) -> {
            try (ModelCache.Handle handle = cache.acquire(key,
                    () -> TrainedModel.load(task, spec.training(), checkpoints.read(jobId, checkpoint.number()), ModelCache.device()))) {
                return handle.model().forward(all, instances);
            }
        });
        return new PredictionController.PredictResponse(task.predictions(out), checkpoint.number());
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

    /**
     * The job's spec; an ended job's is remembered with its last checkpoint and its tenant, so that a
     * caller of another tenant still gets the 404 the database would give.
     */
    private JobSpec spec(String jobId, TenantScope scope) {
        Finished known = finished.get(jobId);
        if (known != null && known.fresh()) {
            if (!scope.sees(known.tenant())) {
                throw DomainProblem.jobNotFound(jobId);
            }
            return known.spec();
        }
        JobService.SpecAndStatus job = jobs.spec(jobId, scope);
        if (job.status().isTerminal()) {
            checkpoints.latest(jobId).ifPresent(latest -> finished.put(jobId, new Finished(job.spec(), latest, job.tenant(), System.nanoTime())));
        }
        return job.spec();
    }

    /** A job deleted on this node: forget its spec and close its models now. */
    @EventListener
    void forget(JobDeleted deleted) {
        finished.remove(deleted.jobId());
        cache.evictJob(deleted.jobId());
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
