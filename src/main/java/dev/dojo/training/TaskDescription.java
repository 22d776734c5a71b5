package dev.dojo.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What {@code GET /api/tasks} shows of one task: its defaults and allowed ranges, the metrics it
 * records, and its recipes, each with the hyperparameters it resolves to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskDescription(
        String name, String description, List<ParameterInfo> hyperparameters, List<ParameterInfo> data,
        @Schema(description = "The metrics a run records: what a quality gate (a spec's gates) may check") List<String> metrics,
        List<Recipe> recipes) {

    /** A task's own description, before the catalog adds its metrics and recipes. */
    public TaskDescription(String name, String description, List<ParameterInfo> hyperparameters, List<ParameterInfo> data) {
        this(name, description, hyperparameters, data, List.of(), null);
    }

    TaskDescription withMetrics(List<String> recorded) {
        return new TaskDescription(name, description, hyperparameters, data, List.copyOf(recorded), recipes);
    }

    TaskDescription withRecipes(List<Recipe> resolved) {
        return new TaskDescription(name, description, hyperparameters, data, metrics, List.copyOf(resolved));
    }
}
