package dev.dojo.training;

/**
 * A named set of hyperparameter defaults for one task. A spec naming it starts from these values, and
 * every field the spec sets itself overrides them; what neither sets takes the task's default.
 */
public record Recipe(String name, String description, Hyperparameters hyperparameters) {

    /** The recipe every task has, and the one a spec without {@code recipe} gets: the task's own defaults. */
    public static final String SEED = "seed";

    static Recipe seed() {
        return new Recipe(SEED, "The task's defaults: the seed lesson's run.", Hyperparameters.none());
    }
}
