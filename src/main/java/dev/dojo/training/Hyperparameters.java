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
        Integer checkpointEvery,
        String lrSchedule,
        Double warmupFraction,
        Double beta1,
        Double beta2,
        Double labelSmoothing) {

    /** An empty request: every field takes the task's default. */
    public static Hyperparameters none() {
        return new Hyperparameters(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    /** This request with each field it leaves null taken from {@code defaults}: how a recipe applies. */
    public Hyperparameters over(Hyperparameters defaults) {
        Hyperparameters d = defaults;
        return new Hyperparameters(or(epochs, d.epochs), or(learningRate, d.learningRate), or(optimizer, d.optimizer),
                or(momentum, d.momentum), or(loss, d.loss), or(hiddenUnits, d.hiddenUnits), or(activation, d.activation),
                or(seed, d.seed), or(model, d.model), or(batchSize, d.batchSize), or(trainLimit, d.trainLimit),
                or(logEverySteps, d.logEverySteps), or(checkpointEvery, d.checkpointEvery), or(lrSchedule, d.lrSchedule),
                or(warmupFraction, d.warmupFraction), or(beta1, d.beta1), or(beta2, d.beta2),
                or(labelSmoothing, d.labelSmoothing));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
