package dev.dojo.training;

import java.util.ArrayList;
import java.util.List;

/** Fills defaults into a requested spec and collects every violation, each naming its field. */
final class SpecResolver {

    private final List<InvalidSpecException.Violation> violations = new ArrayList<>();

    Integer integer(String prefix, ParameterInfo info, Integer requested) {
        if (requested == null) {
            return (Integer) info.defaultValue();
        }
        if (requested < info.min().longValue() || requested > info.max().longValue()) {
            reject(prefix, info, "must be between " + info.min() + " and " + info.max() + ", was " + requested);
        }
        return requested;
    }

    Long longValue(String prefix, ParameterInfo info, Long requested) {
        if (requested == null) {
            return ((Number) info.defaultValue()).longValue();
        }
        if (requested < info.min().longValue() || requested > info.max().longValue()) {
            reject(prefix, info, "must be between " + info.min() + " and " + info.max() + ", was " + requested);
        }
        return requested;
    }

    Double number(String prefix, ParameterInfo info, Double requested) {
        if (requested == null) {
            return (Double) info.defaultValue();
        }
        if (requested.isNaN() || requested.isInfinite()) {
            reject(prefix, info, "must be a finite number, was " + requested);
        } else if (requested < info.min().doubleValue() || requested > info.max().doubleValue()) {
            reject(prefix, info, "must be between " + info.min() + " and " + info.max() + ", was " + requested);
        }
        return requested;
    }

    String choice(String prefix, ParameterInfo info, String requested) {
        if (requested == null) {
            return (String) info.defaultValue();
        }
        if (!info.allowed().contains(requested)) {
            reject(prefix, info, "must be one of " + info.allowed() + ", was \"" + requested + "\"");
        }
        return requested;
    }

    @SuppressWarnings("unchecked")
    List<Integer> integerList(String prefix, ParameterInfo info, int maxLength, List<Integer> requested) {
        if (requested == null) {
            return (List<Integer>) info.defaultValue();
        }
        if (requested.isEmpty() || requested.size() > maxLength) {
            reject(prefix, info, "must hold 1 to " + maxLength + " layer sizes, held " + requested.size());
            return requested;
        }
        for (int i = 0; i < requested.size(); i++) {
            Integer units = requested.get(i);
            if (units == null || units < info.min().longValue() || units > info.max().longValue()) {
                violations.add(new InvalidSpecException.Violation(prefix + info.name() + "[" + i + "]",
                        "must be between " + info.min() + " and " + info.max() + ", was " + units));
            }
        }
        return List.copyOf(requested);
    }

    /** A field the task does not use: refusing it beats silently ignoring what the user asked for. */
    void unused(String field, Object requested, String task) {
        if (requested != null) {
            violations.add(new InvalidSpecException.Violation(field, "is not used by task \"" + task + "\"; remove it"));
        }
    }

    /** Largest MLP any task accepts, in parameters: far beyond the seed's exercises, well within memory. */
    static final long MAX_MLP_PARAMETERS = 20_000_000;

    /** Refuses hidden layers that would make an {@code inputs → hidden… → outputs} MLP too large. */
    void mlpSize(String field, long inputs, List<Integer> hidden, long outputs) {
        long count = 0;
        long in = inputs;
        for (Integer units : hidden) {
            long u = units == null ? 0 : units;
            count += in * u + u;
            in = u;
        }
        count += in * outputs + outputs;
        check(count <= MAX_MLP_PARAMETERS, field, "gives " + count + " parameters; at most " + MAX_MLP_PARAMETERS + " are allowed");
    }

    void check(boolean ok, String field, String message) {
        if (!ok) {
            violations.add(new InvalidSpecException.Violation(field, message));
        }
    }

    void throwIfInvalid() {
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }
    }

    private void reject(String prefix, ParameterInfo info, String message) {
        violations.add(new InvalidSpecException.Violation(prefix + info.name(), message));
    }
}
