package dev.dojo.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A quality gate: a bound on the final value of one metric the job's task records. A job whose
 * gates all hold when training ends is SUCCEEDED; one that misses any ends FAILED ("GATE …").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(example = "{\"metric\": \"test_accuracy\", \"min\": 0.98}")
public record Gate(
        @Schema(description = "A metric the task records (GET /api/tasks lists them), e.g. test_accuracy") String metric,
        @Schema(description = "The final value must be at least this (inclusive); min, max or both") Double min,
        @Schema(description = "The final value must be at most this (inclusive); min, max or both") Double max) {

    /** Whether {@code value} holds: a missing or NaN value never does. */
    public boolean holds(Double value) {
        if (value == null || value.isNaN()) {
            return false;
        }
        return (min == null || value >= min) && (max == null || value <= max);
    }

    /** How a gate came out, as the job view shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String metric, Double min, Double max,
                         @Schema(description = "The metric's final value; null until checked, or when the run recorded none") Double value,
                         @Schema(description = "PENDING until training ends; PASSED or MISSED once checked; NOT_CHECKED when the "
                                 + "job ended without completing its training (cancelled, timed out, crashed)") Outcome result) {}

    /** Where one gate stands. */
    public enum Outcome { PENDING, PASSED, MISSED, NOT_CHECKED }
}
