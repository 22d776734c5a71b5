package dev.dojo.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dojo.training.DataSpec;
import dev.dojo.training.Hyperparameters;
import dev.dojo.training.TrainingSpec;

/** The resolved spec a job runs with: every default filled in, as shown in the job view. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSpec(
        String task, String name, Hyperparameters hyperparameters, DataSpec data, int priority, Integer maxRuntimeSeconds,
        Integer gpus) {

    /** GPUs the job needs; specs stored before the field existed need none. */
    public int gpusRequired() {
        return gpus == null ? 0 : gpus;
    }

    public TrainingSpec training() {
        return new TrainingSpec(task, hyperparameters, data);
    }
}
