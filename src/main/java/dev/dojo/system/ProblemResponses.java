package dev.dojo.system;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a problem straight to a servlet response, for the places that answer before or outside
 * Spring MVC's content negotiation: filters and the error page. The body is always
 * {@code application/problem+json}, whatever the request's Accept header says.
 */
final class ProblemResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProblemResponses() {}

    static void write(HttpServletResponse response, HttpStatus status, String title, String detail,
                      List<Map<String, String>> errors) throws IOException {
        response.setStatus(status.value());
        // JSON is UTF-8 by definition; written as bytes, the type carries no charset (as Spring's problems).
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), body(status, title, detail, errors));
    }

    static Map<String, Object> body(HttpStatus status, String title, String detail, List<Map<String, String>> errors) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", errors == null ? "about:blank" : ProblemDetailsAdvice.INVALID_INPUT.toString());
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        if (errors != null) {
            problem.put("errors", errors);
        }
        return problem;
    }

    static String json(HttpStatus status, String title, String detail) {
        return JSON.writeValueAsString(body(status, title, detail, null));
    }

    /** A short, fixed explanation per status, for errors whose cause cannot be shown (the container's own). */
    static String detail(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "The request could not be read: its request line, path, query or headers are malformed or too large.";
            case NOT_FOUND -> "There is nothing at this path; see /swagger-ui.html for the API.";
            case METHOD_NOT_ALLOWED -> "This path does not take this method; the Allow header lists those it takes.";
            case CONTENT_TOO_LARGE -> "The request body is too large.";
            case URI_TOO_LONG -> "The request path is too long.";
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> "The request headers are too large.";
            case NOT_ACCEPTABLE -> "This resource has no representation the Accept header allows.";
            case UNSUPPORTED_MEDIA_TYPE -> "This resource does not take a body of this Content-Type.";
            default -> status.is5xxServerError() ? "An internal error occurred; it has been logged."
                    : "The request was refused (" + status.getReasonPhrase() + ").";
        };
    }
}
