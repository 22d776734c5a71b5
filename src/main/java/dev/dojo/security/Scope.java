package dev.dojo.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** What a key may do. {@code admin} includes every other scope, for every tenant. */
public enum Scope {
    /** Read jobs and everything under them: metrics, checkpoints, events, plots, logs, evaluation, test images. */
    JOBS_READ("jobs:read"),
    /** Submit and cancel jobs. */
    JOBS_WRITE("jobs:write"),
    /** Ask a trained job for predictions. */
    PREDICT("predict"),
    /** Read the node's metrics (Prometheus) and the other actuator endpoints beyond health. */
    METRICS("metrics"),
    /** Manage keys, quotas and workers, and act on every tenant's jobs. */
    ADMIN("admin");

    public static final Set<Scope> ALL = EnumSet.allOf(Scope.class);

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** The scope a string names, as keys and requests write it. */
    public static Optional<Scope> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }

    @JsonCreator
    static Scope fromJson(String value) {
        return parse(value).orElseThrow(() -> new IllegalArgumentException("unknown scope " + value));
    }

    @Override
    public String toString() {
        return value;
    }
}
