package dev.dojo.system;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** A domain error with its HTTP meaning: missing job (404), a state conflict (409), and so on. */
public class DomainProblem extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final Map<String, Object> properties;

    public DomainProblem(HttpStatus status, String title, String detail, Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.title = title;
        this.properties = Map.copyOf(properties);
    }

    public DomainProblem(HttpStatus status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    public static DomainProblem jobNotFound(String id) {
        return new DomainProblem(HttpStatus.NOT_FOUND, "Job not found", "No job with id " + id + ".");
    }

    /** A 400 that names the one field at fault, shaped like the validation errors of a job spec. */
    public static DomainProblem badField(String title, String field, String message) {
        return new DomainProblem(HttpStatus.BAD_REQUEST, title, field + ": " + message,
                Map.of("errors", java.util.List.of(Map.of("field", field, "message", message))));
    }

    public static DomainProblem badInstance(int index, String message) {
        return badField("Invalid instance", "instances[" + index + "]", message);
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
}
