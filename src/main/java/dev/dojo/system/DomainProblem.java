package dev.dojo.system;

import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** A domain error with its HTTP meaning: missing job (404), a state conflict (409), and so on. */
public class DomainProblem extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final Map<String, Object> properties;
    private final Duration retryAfter;

    public DomainProblem(HttpStatus status, String title, String detail, Map<String, Object> properties) {
        this(status, title, detail, properties, null);
    }

    private DomainProblem(HttpStatus status, String title, String detail, Map<String, Object> properties, Duration retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.properties = Map.copyOf(properties);
        this.retryAfter = retryAfter;
    }

    public DomainProblem(HttpStatus status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    public static DomainProblem jobNotFound(String id) {
        return new DomainProblem(HttpStatus.NOT_FOUND, "Job not found", "No job with id " + Echo.of(id) + ".");
    }

    /** A 400 that names the one field at fault, shaped like the validation errors of a job spec. */
    public static DomainProblem badField(String title, String field, String message) {
        return new DomainProblem(HttpStatus.BAD_REQUEST, title, field + ": " + message,
                Map.of("errors", java.util.List.of(Map.of("field", field, "message", message))));
    }

    public static DomainProblem badInstance(int index, String message) {
        return badField("Invalid instance", "instances[" + index + "]", message);
    }

    /** A 429: the client should come back after {@code retryAfter} (sent as the Retry-After header). */
    public static DomainProblem tooManyRequests(String title, String detail, Duration retryAfter) {
        return new DomainProblem(HttpStatus.TOO_MANY_REQUESTS, title, detail, Map.of(), retryAfter);
    }

    /**
     * A 503 from a node that is stopping: the request is worth making again in a second, on this
     * address (another node behind it, or this one restarted).
     */
    public static DomainProblem shuttingDown(String detail) {
        return new DomainProblem(HttpStatus.SERVICE_UNAVAILABLE, "Node shutting down", detail, Map.of(), Duration.ofSeconds(1));
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    /** How long the client should wait before trying again, or null when the answer says nothing about it. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
