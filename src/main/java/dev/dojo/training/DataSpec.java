package dev.dojo.training;

import com.fasterxml.jackson.annotation.JsonInclude;

/** How a task's data is made: the number of samples and the noise scale (sine regression). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSpec(Integer samples, Double noise) {

    public static DataSpec none() {
        return new DataSpec(null, null);
    }
}
