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

    public List<TaskDescription> describe() {
        return tasks.values().stream().map(TrainingTask::describe).toList();
    }

    /** Resolves a request against its task, or names the field {@code task} when there is none. */
    public TrainingSpec resolve(String task, Hyperparameters hyperparameters, DataSpec data) {
        if (task == null) {
            throw new InvalidSpecException("task", "is required; one of " + names());
        }
        TrainingTask t = find(task).orElseThrow(() ->
                new InvalidSpecException("task", "unknown task \"" + task + "\"; one of " + names()));
        return t.resolve(hyperparameters, data);
    }
}
