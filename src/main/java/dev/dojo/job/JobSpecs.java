package dev.dojo.job;

import dev.dojo.queue.TenantScope;
import dev.dojo.training.InvalidSpecException;
import dev.dojo.training.Recipe;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a request into the resolved spec a job runs with (every default filled in, every field
 * checked, each bad one named in one 400), and gives a resolved spec its canonical fingerprint.
 */
@Component
class JobSpecs {

    /** The most GPUs one job may ask for: the GPUs of one machine. */
    static final int MAX_GPUS = 8;
    static final int MAX_KEEP_CHECKPOINTS = 10_000;

    private final TaskCatalog tasks;
    private final JsonMapper json;
    private final WarmStarts warmStarts;

    JobSpecs(TaskCatalog tasks, JsonMapper json, WarmStarts warmStarts) {
        this.tasks = tasks;
        this.json = json;
        this.warmStarts = warmStarts;
    }

    /**
     * The resolved spec; an {@link InvalidSpecException} naming every bad field otherwise. Nothing is
     * stored. {@code visible} is what the caller sees: an {@code initFrom} job outside it does not exist.
     */
    JobSpec resolve(JobRequest request, TenantScope visible) {
        if (request == null) {
            throw new InvalidSpecException("body", "is empty; send a job spec such as {\"task\": \"sine-regression\"}");
        }
        List<InvalidSpecException.Violation> problems = new ArrayList<>();
        TrainingSpec training = null;
        try {
            training = tasks.resolve(request.task(), request.recipe(), request.hyperparameters(), request.data());
        } catch (InvalidSpecException e) {
            problems.addAll(e.violations());
        }
        if (request.name() != null && (request.name().isBlank() || request.name().length() > 200)) {
            problems.add(new InvalidSpecException.Violation("name", "must be 1 to 200 characters"));
        } else if (request.name() != null && !JobService.printable(request.name())) {
            problems.add(new InvalidSpecException.Violation("name",
                    "must be printable text: no control characters (such as NUL or a line break) and no lone surrogates"));
        }
        int priority = request.priority() == null ? 0 : request.priority();
        if (priority < -1000 || priority > 1000) {
            problems.add(new InvalidSpecException.Violation("priority", "must be between -1000 and 1000, was " + priority));
        }
        Integer maxRuntime = request.maxRuntimeSeconds();
        if (maxRuntime != null && (maxRuntime < 1 || maxRuntime > 604_800)) {
            problems.add(new InvalidSpecException.Violation("maxRuntimeSeconds", "must be between 1 and 604800, was " + maxRuntime));
        }
        int gpus = request.gpus() == null ? 0 : request.gpus();
        if (gpus < 0 || gpus > MAX_GPUS) {
            problems.add(new InvalidSpecException.Violation("gpus", "must be between 0 (any device) and " + MAX_GPUS
                    + " (GPUs on one worker), was " + gpus));
        }
        Labels.check(request.labels(), problems);
        Integer keep = request.keepCheckpoints();
        if (keep != null && (keep < 0 || keep > MAX_KEEP_CHECKPOINTS)) {
            problems.add(new InvalidSpecException.Violation("keepCheckpoints", "must be between 0 and " + MAX_KEEP_CHECKPOINTS
                    + " (the newest checkpoint is always kept), was " + keep));
        }
        problems.addAll(Gates.validate(request.gates(), tasks.find(request.task()).map(t -> request.task()).orElse(null),
                tasks.find(request.task()).map(dev.dojo.training.TrainingTask::metrics).orElse(List.of())));
        WarmStarts.Resolved warm = warmStarts.resolve(request, training, visible, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
        List<Gate> gates = request.gates() == null || request.gates().isEmpty() ? null : List.copyOf(request.gates());
        return new JobSpec(training.task(), request.name(), training.hyperparameters(), training.data(), priority, maxRuntime, gpus,
                request.labels(), keep, gates, warm.initFrom(), warm.freeze(), warm.reset(), request.recipe() == null ? Recipe.SEED : request.recipe());
    }

    /**
     * The SHA-256 of the spec's canonical JSON: every object's members sorted by name, no white space.
     * Two requests that resolve to the same spec (fields in another order, a default spelled out or
     * left out) have the same fingerprint.
     */
    String fingerprint(JobSpec spec) {
        Object tree = json.convertValue(spec, Object.class);
        return DigestUtils.sha256Hex(json.writeValueAsString(sorted(tree)));
    }

    private static Object sorted(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
            return out;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(JobSpecs::sorted).toList();
        }
        return node;
    }
}
