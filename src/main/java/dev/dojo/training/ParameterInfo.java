package dev.dojo.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One tunable field of a task: its default, its allowed range or values, and what it means. The
 * same object drives validation and the {@code /api/tasks} listing, so the two cannot disagree.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParameterInfo(
        String name, String type, Object defaultValue, Number min, Number max, List<String> allowed, String description) {

    static ParameterInfo integer(String name, Integer def, long min, long max, String description) {
        return new ParameterInfo(name, "integer", def, min, max, null, description);
    }

    static ParameterInfo number(String name, Double def, double min, double max, String description) {
        return new ParameterInfo(name, "number", def, min, max, null, description);
    }

    static ParameterInfo choice(String name, String def, List<String> allowed, String description) {
        return new ParameterInfo(name, "string", def, null, null, allowed, description);
    }

    static ParameterInfo integerList(String name, List<Integer> def, long min, long max, int maxLength, String description) {
        return new ParameterInfo(name, "integer[] (1 to " + maxLength + " items)", def, min, max, null, description);
    }
}
