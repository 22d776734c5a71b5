package dev.dojo.job;

import dev.dojo.queue.JobRecords;
import dev.dojo.queue.TenantScope;
import dev.dojo.queue.TrainingJob;
import dev.dojo.training.InvalidSpecException.Violation;
import dev.dojo.training.ModelSummary;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainingSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a warm start at submit: the source job is one the caller sees, the checkpoint exists (the
 * latest is resolved now, so a retry trains from the same weights), the two networks match parameter
 * by parameter, and each frozen or reset layer is one of the network's (and none is both).
 */
@Component
class WarmStarts {

    /** Most layers one spec may freeze, and most it may reset. */
    static final int MAX_FROZEN = 16;

    private final JobRecords records;
    private final CheckpointNumbers checkpoints;
    private final TaskCatalog tasks;
    private final JsonMapper json;

    WarmStarts(JobRecords records, CheckpointNumbers checkpoints, TaskCatalog tasks, JsonMapper json) {
        this.records = records;
        this.checkpoints = checkpoints;
        this.tasks = tasks;
        this.json = json;
    }

    /** What a valid warm start resolves to; its fields are null when the request asks for none. */
    record Resolved(InitFrom initFrom, List<String> freeze, List<String> reset) {

        static final Resolved NONE = new Resolved(null, null, null);
    }

    /** Adds each problem to {@code problems}; {@code training} is null when the spec itself is invalid. */
    Resolved resolve(JobRequest request, TrainingSpec training, TenantScope scope, List<Violation> problems) {
        InitFrom init = request.initFrom();
        List<String> freeze = request.freeze() == null || request.freeze().isEmpty() ? null : request.freeze();
        List<String> reset = request.reset() == null || request.reset().isEmpty() ? null : request.reset();
        if (init == null) {
            if (freeze != null) {
                problems.add(new Violation("freeze", "needs initFrom: only weights taken from another job are frozen"));
            }
            if (reset != null) {
                problems.add(new Violation("reset", "needs initFrom: without it every layer starts from random weights"));
            }
            return Resolved.NONE;
        }
        if (init.job() == null || init.job().isBlank() || init.job().length() > 64) {
            problems.add(new Violation("initFrom.job", "is required: the id of a job whose weights to start from"));
            return Resolved.NONE;
        }
        TrainingJob source = records.find(init.job(), scope).orElse(null);
        if (source == null) {
            problems.add(new Violation("initFrom.job", "no job " + dev.dojo.training.InvalidSpecException.quote(init.job())
                    + " that this key may see"));
            return Resolved.NONE;
        }
        Integer number = init.checkpoint();
        if (number == null) {
            number = checkpoints.latest(source.getId()).orElse(null);
            if (number == null) {
                problems.add(new Violation("initFrom.checkpoint", "job " + source.getId() + " has no checkpoint yet"));
            }
        } else if (number < 1 || !checkpoints.exists(source.getId(), number)) {
            problems.add(new Violation("initFrom.checkpoint", "job " + source.getId() + " has no checkpoint " + number));
            number = null;
        }
        if (training == null || number == null) {
            return Resolved.NONE;
        }
        JobSpec sourceSpec = json.readValue(source.getSpecJson(), JobSpec.class);
        ModelSummary mine = ModelSummary.of(tasks.get(training.task()), training);
        ModelSummary theirs = ModelSummary.of(tasks.get(sourceSpec.task()), sourceSpec.training());
        String mismatch = mismatch(mine.parameters(), theirs.parameters(), source.getId());
        if (mismatch != null) {
            problems.add(new Violation("initFrom", mismatch));
        }
        checkLayers("freeze", freeze, mine, problems);
        checkLayers("reset", reset, mine, problems);
        if (freeze != null && reset != null) {
            for (int i = 0; i < reset.size(); i++) {
                if (freeze.contains(reset.get(i))) {
                    problems.add(new Violation("reset[" + i + "]", "layer " + dev.dojo.training.InvalidSpecException.quote(reset.get(i))
                            + " is also frozen: a layer either starts fresh and trains, or keeps the source's weights fixed"));
                }
            }
        }
        return new Resolved(new InitFrom(source.getId(), number), freeze == null ? null : List.copyOf(freeze),
                reset == null ? null : List.copyOf(reset));
    }

    /** The first parameter whose shape differs, with both shapes; null when the networks match. */
    private static String mismatch(List<ModelSummary.ParameterShape> mine, List<ModelSummary.ParameterShape> theirs, String source) {
        for (int i = 0; i < Math.max(mine.size(), theirs.size()); i++) {
            ModelSummary.ParameterShape a = i < mine.size() ? mine.get(i) : null;
            ModelSummary.ParameterShape b = i < theirs.size() ? theirs.get(i) : null;
            if (a != null && b != null && a.shape().equals(b.shape())) {
                continue;
            }
            String name = name(a != null ? a : b);
            return "the networks differ at parameter " + name + ": this job's is " + (a == null ? "absent" : a.shape())
                    + ", job " + source + "'s is " + (b == null ? "absent" : b.shape());
        }
        return null;
    }

    private static String name(ModelSummary.ParameterShape p) {
        return p.pytorchName() != null ? p.pytorchName() : p.name();
    }

    /** Checks a list of layer names, {@code field} ({@code freeze} or {@code reset}). */
    private static void checkLayers(String field, List<String> names, ModelSummary mine, List<Violation> problems) {
        if (names == null) {
            return;
        }
        if (names.size() > MAX_FROZEN) {
            problems.add(new Violation(field, "names at most " + MAX_FROZEN + " layers, named " + names.size()));
            return;
        }
        Set<String> layers = new LinkedHashSet<>();
        mine.parameters().forEach(p -> layers.add(name(p).substring(0, Math.max(0, name(p).lastIndexOf('.')))));
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) == null || !layers.contains(names.get(i))) {
                problems.add(new Violation(field + "[" + i + "]", "must be a layer of this network, one of " + new ArrayList<>(layers)
                        + "; was " + dev.dojo.training.InvalidSpecException.quote(names.get(i))));
            }
        }
    }
}
