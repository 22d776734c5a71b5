package dev.dojo.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tasks this build can train, by name. */
public final class TaskCatalog {

    private final Map<String, TrainingTask> tasks = new LinkedHashMap<>();

    public TaskCatalog(List<TrainingTask> tasks) {
        tasks.forEach(t -> this.tasks.put(t.name(), t));
    }

    public Optional<TrainingTask> find(String name) {
        return Optional.ofNullable(name == null ? null : tasks.get(name));
    }

    /** The task of a resolved spec; such a spec was validated, so the task exists. */
    public TrainingTask get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown task " + name));
    }

    public List<String> names() {
        return List.copyOf(tasks.keySet());
    }

    /**
     * Every task, with each of its recipes shown as the hyperparameters it resolves to; a recipe that
     * does not resolve alone (a task that requires some field of every spec) is shown as it is.
     */
    public List<TaskDescription> describe() {
        return tasks.values().stream().map(t -> t.describe().withMetrics(t.metrics()).withRecipes(t.recipes().stream()
                .map(r -> new Recipe(r.name(), r.description(), resolved(t, r))).toList())).toList();
    }

    private static Hyperparameters resolved(TrainingTask task, Recipe recipe) {
        try {
            return task.resolve(recipe.hyperparameters(), null).hyperparameters();
        } catch (InvalidSpecException e) {
            return recipe.hyperparameters();
        }
    }

    /** Resolves a request against its task, or names the field {@code task} when there is none. */
    public TrainingSpec resolve(String task, Hyperparameters hyperparameters, DataSpec data) {
        return resolve(task, null, hyperparameters, data);
    }

    /**
     * Resolves a request against its task, starting from the named recipe ({@link Recipe#SEED} when
     * null) and letting the request's own fields override it; names {@code task} or {@code recipe}
     * when either is unknown.
     */
    public TrainingSpec resolve(String task, String recipe, Hyperparameters hyperparameters, DataSpec data) {
        if (task == null) {
            throw new InvalidSpecException("task", "is required; one of " + names());
        }
        TrainingTask t = find(task).orElseThrow(() ->
                new InvalidSpecException("task", "unknown task " + InvalidSpecException.quote(task) + "; one of " + names()));
        String name = recipe == null ? Recipe.SEED : recipe;
        Recipe chosen = t.recipes().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() ->
                new InvalidSpecException("recipe", "unknown recipe " + InvalidSpecException.quote(name) + " for task \""
                        + t.name() + "\"; one of " + t.recipes().stream().map(Recipe::name).toList()));
        Hyperparameters requested = hyperparameters == null ? Hyperparameters.none() : hyperparameters;
        return t.resolve(requested.over(chosen.hyperparameters()), data);
    }
}
