package dev.dojo.training;

import java.util.List;

/** A spec that can never run; each violation names the JSON field at fault. */
public class InvalidSpecException extends RuntimeException {

    /** One bad field: its JSON path (for example {@code hyperparameters.epochs}) and what to fix. */
    public record Violation(String field, String message) {}

    private final List<Violation> violations;

    public InvalidSpecException(List<Violation> violations) {
        super(violations.stream().map(v -> v.field() + ": " + v.message()).reduce((a, b) -> a + "; " + b).orElse("invalid spec"));
        this.violations = List.copyOf(violations);
    }

    public InvalidSpecException(String field, String message) {
        this(List.of(new Violation(field, message)));
    }

    public List<Violation> violations() {
        return violations;
    }
}
