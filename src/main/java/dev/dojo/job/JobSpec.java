package dev.dojo.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dojo.training.DataSpec;
import dev.dojo.training.Hyperparameters;
import dev.dojo.training.TrainingSpec;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The resolved spec a job runs with: every default filled in, as shown in the job view, and the recipe
 * it started from ({@code seed} unless the request named another; null for jobs stored before recipes).
 * Labels are held sorted by key (specs stored before they existed have none), so that two specs that
 * mean the same serialise the same.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSpec(
        String task, String name, Hyperparameters hyperparameters, DataSpec data, int priority, Integer maxRuntimeSeconds,
        Integer gpus, Map<String, String> labels, Integer keepCheckpoints, java.util.List<Gate> gates, InitFrom initFrom,
        java.util.List<String> freeze, java.util.List<String> reset, String recipe) {

    public JobSpec {
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** GPUs the job needs; specs stored before the field existed need none. */
    public int gpusRequired() {
        return gpus == null ? 0 : gpus;
    }

    /** How a worker starts this job when it has no checkpoint of its own: null for random weights. */
    public dev.dojo.training.WarmStart warmStart(byte[] weightsFrom) {
        if (initFrom == null && freeze == null && reset == null) {
            return null;
        }
        return new dev.dojo.training.WarmStart(weightsFrom, freeze == null ? null : java.util.Set.copyOf(freeze),
                reset == null ? null : java.util.Set.copyOf(reset));
    }

    public TrainingSpec training() {
        return new TrainingSpec(task, hyperparameters, data);
    }
}
