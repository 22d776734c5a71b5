package dev.dojo.sweep;

import dev.dojo.job.JobRequest;
import dev.dojo.job.JobService;
import dev.dojo.job.Labels;
import dev.dojo.queue.TenantScope;
import dev.dojo.training.DataSpec;
import dev.dojo.training.Hyperparameters;
import dev.dojo.training.InvalidSpecException;
import dev.dojo.training.InvalidSpecException.Violation;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainingTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a posted sweep and turns it into a {@link Plan}: every trial's spec is resolved through the
 * job API's own validation ({@link JobService#check}), so a sweep that is accepted never makes a trial
 * that a submit would refuse. Each bad field is named in one 400: {@code space["hyperparameters.x"]},
 * {@code base.task}, {@code objective.metric}, and so on.
 */
@Component
class SweepPlans {

    static final int MAX_TRIALS = 1000;
    static final int MAX_PARALLELISM = 100;
    static final int MAX_DIMENSIONS = 16;
    static final int MAX_VALUES = 1000;
    static final int MAX_PATH = 100;
    /** The labels every trial carries; a base spec may not set them. */
    static final String SWEEP_LABEL = "sweep";
    static final String TRIAL_LABEL = "sweep-trial";

    private static final Set<String> HYPERPARAMETERS = components(Hyperparameters.class);
    private static final Set<String> DATA = components(DataSpec.class);

    private final JobService jobs;
    private final TaskCatalog tasks;
    private final JsonMapper json;

    SweepPlans(JobService jobs, TaskCatalog tasks, JsonMapper json) {
        this.jobs = jobs;
        this.tasks = tasks;
        this.json = json;
    }

    /** The plan, or an {@link InvalidSpecException} naming every bad field. */
    Plan plan(SweepRequest request, TenantScope visible) {
        if (request == null) {
            throw new InvalidSpecException("body", "is empty; send a sweep such as {\"base\": {\"task\": \"sine-regression\"}, \"space\": {...}}");
        }
        List<Violation> problems = new ArrayList<>();
        if (request.base() == null) {
            problems.add(new Violation("base", "is required: a job spec such as {\"task\": \"sine-regression\"}"));
        } else if (request.base().labels() != null) {
            for (String reserved : List.of(SWEEP_LABEL, TRIAL_LABEL)) {
                if (request.base().labels().containsKey(reserved)) {
                    problems.add(new Violation("base.labels." + reserved, "is reserved: the sweep sets it on every trial"));
                }
            }
            if (request.base().labels().size() > Labels.MAX - 2) {
                problems.add(new Violation("base.labels", "must hold at most " + (Labels.MAX - 2)
                        + " labels (each trial adds sweep and sweep-trial), held " + request.base().labels().size()));
            }
        }
        String algorithm = request.algorithm() == null ? "grid" : request.algorithm();
        if (!algorithm.equals("grid") && !algorithm.equals("random")) {
            problems.add(new Violation("algorithm", "must be grid or random, was " + InvalidSpecException.quote(algorithm)));
        }
        if (request.seed() != null && !algorithm.equals("random")) {
            problems.add(new Violation("seed", "applies to the random algorithm only"));
        }
        checkSpace(request.space(), algorithm, problems);
        Plan.Objective objective = objective(request.objective(), problems);
        Plan.Rule rule = rule(request.earlyStopping(), problems);
        Integer parallelism = request.parallelism();
        if (parallelism != null && (parallelism < 1 || parallelism > MAX_PARALLELISM)) {
            problems.add(new Violation("parallelism", "must be between 1 and " + MAX_PARALLELISM + ", was " + parallelism));
        }
        Integer maxTrials = request.maxTrials();
        if (maxTrials != null && (maxTrials < 1 || maxTrials > MAX_TRIALS)) {
            problems.add(new Violation("maxTrials", "must be between 1 and " + MAX_TRIALS + ", was " + maxTrials));
        } else if (maxTrials == null && algorithm.equals("random")) {
            problems.add(new Violation("maxTrials", "is required for the random algorithm (1 to " + MAX_TRIALS + ")"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
        List<LinkedHashMap<String, JsonNode>> trials = algorithm.equals("grid") ? Draws.grid(request.space(), maxTrials)
                : Draws.random(request.space(), maxTrials, request.seed() == null ? 0 : request.seed());
        Integer maxFailed = request.maxFailedTrials();
        if (maxFailed != null && (maxFailed < 0 || maxFailed > trials.size())) {
            problems.add(new Violation("maxFailedTrials", "must be between 0 and the number of trials (" + trials.size() + "), was " + maxFailed));
        }
        checkTrials(request, trials, visible, problems);
        if (problems.isEmpty()) {
            checkMetric(request.base().task(), objective, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
        return new Plan(algorithm, objective, trials.size(), parallelism == null ? 1 : parallelism,
                maxFailed == null ? trials.size() : maxFailed, rule, trials);
    }

    /** The trial's job request: the base with each parameter set at its path and the sweep's labels added. */
    JobRequest trialRequest(JobRequest base, Map<String, JsonNode> parameters, Map<String, String> labels) {
        ObjectNode tree = json.valueToTree(base);
        parameters.forEach((path, value) -> {
            String[] parts = path.split("\\.", 2);
            JsonNode parent = tree.get(parts[0]);
            ObjectNode object = parent instanceof ObjectNode o ? o : tree.putObject(parts[0]);
            object.set(parts[1], value);
        });
        if (labels != null) {
            ObjectNode all = tree.get("labels") instanceof ObjectNode o ? o : tree.putObject("labels");
            labels.forEach(all::put);
        }
        return json.treeToValue(tree, JobRequest.class);
    }

    private void checkSpace(Map<String, SweepRequest.Dimension> space, String algorithm, List<Violation> problems) {
        if (space == null || space.isEmpty()) {
            problems.add(new Violation("space", "must name 1 to " + MAX_DIMENSIONS + " paths, such as {\"hyperparameters.learningRate\": "
                    + "{\"values\": [0.001, 0.01]}}"));
            return;
        }
        if (space.size() > MAX_DIMENSIONS) {
            problems.add(new Violation("space", "must name at most " + MAX_DIMENSIONS + " paths, named " + space.size()));
            return;
        }
        long combinations = 1;
        for (Map.Entry<String, SweepRequest.Dimension> e : space.entrySet()) {
            String field = field(e.getKey());
            String path = e.getKey();
            String[] parts = path.split("\\.", 2);
            if (path.length() > MAX_PATH || parts.length != 2 || !(parts[0].equals("hyperparameters") && HYPERPARAMETERS.contains(parts[1])
                    || parts[0].equals("data") && DATA.contains(parts[1]))) {
                problems.add(new Violation(field, "is not a hyperparameter: a path is hyperparameters.<name> (one of "
                        + HYPERPARAMETERS + ") or data.<name> (one of " + DATA + ")"));
                continue;
            }
            SweepRequest.Dimension d = e.getValue();
            if (d == null) {
                problems.add(new Violation(field, "must be {\"values\": [...]} or {\"min\": a, \"max\": b}"));
                continue;
            }
            if (d.values() != null) {
                if (d.min() != null || d.max() != null || d.log() != null || d.integer() != null) {
                    problems.add(new Violation(field, "takes either values or a range (min, max, log, int), not both"));
                } else if (d.values().isEmpty() || d.values().size() > MAX_VALUES) {
                    problems.add(new Violation(field + ".values", "must hold 1 to " + MAX_VALUES + " values, held " + d.values().size()));
                } else if (d.values().stream().anyMatch(v -> v == null || v.isNull())) {
                    problems.add(new Violation(field + ".values", "must not hold null"));
                } else {
                    combinations = Math.min(combinations * d.values().size(), Long.MAX_VALUE / MAX_VALUES);
                }
                continue;
            }
            if (algorithm.equals("grid")) {
                problems.add(new Violation(field, "the grid algorithm takes values only; use \"algorithm\": \"random\" for a range"));
                continue;
            }
            if (d.min() == null || d.max() == null || !Double.isFinite(d.min()) || !Double.isFinite(d.max()) || d.min() > d.max()) {
                problems.add(new Violation(field, "a range needs finite min and max with min <= max"));
            } else if (Boolean.TRUE.equals(d.log()) && d.min() <= 0) {
                problems.add(new Violation(field + ".min", "must be above 0 for a log range, was " + d.min()));
            } else if (Boolean.TRUE.equals(d.integer()) && Math.ceil(d.min()) > Math.floor(d.max())) {
                problems.add(new Violation(field, "an int range needs an integer between min and max"));
            }
        }
        if (algorithm.equals("grid") && combinations > MAX_TRIALS) {
            problems.add(new Violation("space", "the grid has " + combinations + " combinations, at most " + MAX_TRIALS
                    + "; use fewer values, or \"algorithm\": \"random\" with maxTrials"));
        }
    }

    private Plan.Objective objective(SweepRequest.Objective o, List<Violation> problems) {
        if (o == null) {
            problems.add(new Violation("objective", "is required, such as {\"metric\": \"train_loss\", \"mode\": \"min\"}"));
            return null;
        }
        if (o.metric() == null) {
            problems.add(new Violation("objective.metric", "is required: a metric the task records (GET /api/tasks lists them)"));
        }
        if (!"max".equals(o.mode()) && !"min".equals(o.mode())) {
            problems.add(new Violation("objective.mode", "must be max or min"));
        }
        if (o.goal() != null && !Double.isFinite(o.goal())) {
            problems.add(new Violation("objective.goal", "must be a finite number"));
        }
        return new Plan.Objective(o.metric(), o.mode(), o.goal());
    }

    private void checkMetric(String task, Plan.Objective objective, List<Violation> problems) {
        List<String> metrics = tasks.find(task).map(TrainingTask::metrics).orElse(List.of());
        if (!metrics.contains(objective.metric())) {
            problems.add(new Violation("objective.metric", "task " + task + " never records " + InvalidSpecException.quote(objective.metric())
                    + "; it records " + metrics));
        }
    }

    private static Plan.Rule rule(SweepRequest.EarlyStopping e, List<Violation> problems) {
        if (e == null) {
            return null;
        }
        if ("median".equals(e.rule())) {
            if (e.reductionFactor() != null || e.minEpochs() != null) {
                problems.add(new Violation("earlyStopping", "reductionFactor and minEpochs belong to the asha rule"));
            }
            int minSteps = e.minSteps() == null ? 0 : e.minSteps();
            int minTrials = e.minTrials() == null ? 3 : e.minTrials();
            if (minSteps < 0) {
                problems.add(new Violation("earlyStopping.minSteps", "must be 0 or more, was " + minSteps));
            }
            if (minTrials < 2 || minTrials > MAX_TRIALS) {
                problems.add(new Violation("earlyStopping.minTrials", "must be between 2 and " + MAX_TRIALS + ", was " + minTrials));
            }
            return new Plan.Rule("median", minSteps, minTrials, 0, 0);
        }
        if ("asha".equals(e.rule())) {
            if (e.minSteps() != null || e.minTrials() != null) {
                problems.add(new Violation("earlyStopping", "minSteps and minTrials belong to the median rule"));
            }
            int factor = e.reductionFactor() == null ? 3 : e.reductionFactor();
            int minEpochs = e.minEpochs() == null ? 1 : e.minEpochs();
            if (factor < 2 || factor > 10) {
                problems.add(new Violation("earlyStopping.reductionFactor", "must be between 2 and 10, was " + factor));
            }
            if (minEpochs < 1 || minEpochs > 100_000) {
                problems.add(new Violation("earlyStopping.minEpochs", "must be between 1 and 100000, was " + minEpochs));
            }
            return new Plan.Rule("asha", 0, 0, factor, minEpochs);
        }
        problems.add(new Violation("earlyStopping.rule", "must be median or asha, was " + InvalidSpecException.quote(e.rule())));
        return null;
    }

    /**
     * Resolves every trial (and, for ranges, both ends) as a submit would; a violation at a path the space
     * sets is named {@code space["path"]}, any other {@code base.<field>}. Stops at the first trial that fails.
     */
    private void checkTrials(SweepRequest request, List<LinkedHashMap<String, JsonNode>> trials, TenantScope visible,
                             List<Violation> problems) {
        // The ends of each range first: a range that leaves the task's is named by its own bound.
        List<LinkedHashMap<String, JsonNode>> candidates = new ArrayList<>();
        request.space().forEach((path, d) -> {
            if (d.values() == null) {
                for (double end : new double[] {d.min(), d.max()}) {
                    LinkedHashMap<String, JsonNode> t = new LinkedHashMap<>(trials.get(0));
                    t.put(path, Boolean.TRUE.equals(d.integer()) ? JsonNodeFactory.instance.numberNode(Math.round(end))
                            : JsonNodeFactory.instance.numberNode(end));
                    candidates.add(t);
                }
            }
        });
        candidates.addAll(trials);
        Set<String> seen = new LinkedHashSet<>();
        for (LinkedHashMap<String, JsonNode> parameters : candidates) {
            List<Violation> found = check(request.base(), parameters, visible);
            for (Violation v : found) {
                if (seen.add(v.field() + v.message())) {
                    problems.add(v);
                }
            }
            if (!found.isEmpty()) {
                return;
            }
        }
    }

    private List<Violation> check(JobRequest base, Map<String, JsonNode> parameters, TenantScope visible) {
        JobRequest trial;
        try {
            trial = trialRequest(base, parameters, Map.of(SWEEP_LABEL, "check", TRIAL_LABEL, "1"));
        } catch (JacksonException e) {
            return parameters.entrySet().stream().filter(p -> !fits(base, p.getKey(), p.getValue()))
                    .map(p -> new Violation(field(p.getKey()), "value " + InvalidSpecException.quote(p.getValue())
                            + " is not of the field's type")).toList();
        }
        try {
            jobs.check(trial, visible);
            return List.of();
        } catch (InvalidSpecException e) {
            return e.violations().stream().map(v -> rename(v, parameters)).toList();
        }
    }

    private boolean fits(JobRequest base, String path, JsonNode value) {
        try {
            trialRequest(base, Map.of(path, value), null);
            return true;
        } catch (JacksonException e) {
            return false;
        }
    }

    private static Violation rename(Violation v, Map<String, JsonNode> parameters) {
        for (Map.Entry<String, JsonNode> p : parameters.entrySet()) {
            String path = p.getKey();
            if (v.field().equals(path) || v.field().startsWith(path + ".") || v.field().startsWith(path + "[")) {
                return new Violation(field(path), "value " + InvalidSpecException.quote(p.getValue()) + ": " + v.message());
            }
        }
        return new Violation("base." + v.field(), v.message());
    }

    static String field(String path) {
        return "space[" + InvalidSpecException.quote(path) + "]";
    }

    private static Set<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(java.lang.reflect.RecordComponent::getName)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
