package dev.dojo.security;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes the 401 and 403 problems of the security filter chain, which runs before Spring MVC's error handling. */
@Component
class ProblemWriter {

    private final JsonMapper json;

    ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    /** 401: the key is missing, malformed, unknown or revoked; the answer says which kind, never the key. */
    void unauthorized(HttpServletResponse response, String detail, boolean keyPresented) throws IOException {
        response.setHeader("WWW-Authenticate", keyPresented
                ? "Bearer realm=\"dojo\", error=\"invalid_token\", error_description=\"" + detail.replace("\"", "'") + "\""
                : "Bearer realm=\"dojo\"");
        write(response, HttpStatus.UNAUTHORIZED, "Unauthorized", detail, Map.of());
    }

    /** 403: a valid key without the scope the route needs; names that scope. */
    void forbidden(HttpServletResponse response, Scope needed) throws IOException {
        String detail = needed == null ? "This key may not do this."
                : "This key lacks the scope " + needed.value() + ", which this request needs.";
        write(response, HttpStatus.FORBIDDEN, "Forbidden", detail, needed == null ? Map.of() : Map.of("requiredScope", needed.value()));
    }

    private void write(HttpServletResponse response, HttpStatus status, String title, String detail, Map<String, Object> extra)
            throws IOException {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setTitle(title);
        extra.forEach(body::setProperty);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }
}
