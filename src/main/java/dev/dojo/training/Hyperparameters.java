package dev.dojo.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Hyperparameters of a job. In a request every field may be null (the task's default applies); in a
 * resolved spec every field the task uses is set and the others stay null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hyperparameters(
        Integer epochs,
        Double learningRate,
        String optimizer,
        Double momentum,
        String loss,
        List<Integer> hiddenUnits,
        String activation,
        Long seed,
        String model,
        Integer batchSize,
        Integer trainLimit,
        Integer logEverySteps,
        Integer checkpointEvery) {

    /** An empty request: every field takes the task's default. */
    public static Hyperparameters none() {
        return new Hyperparameters(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
