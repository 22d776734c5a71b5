package dev.dojo.system;

import dev.dojo.training.InvalidSpecException;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every error into an RFC 9457 problem. Bad input is a 400 whose {@code errors} name each
 * field and say what to fix; anything unexpected is a 500 that is logged and leaks no internals.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    /** One field at fault and what to do about it. */
    record FieldError(String field, String message) {}

    @ExceptionHandler(InvalidSpecException.class)
    ResponseEntity<ProblemDetail> invalidSpec(InvalidSpecException e) {
        List<FieldError> errors = e.violations().stream().map(v -> new FieldError(v.field(), v.message())).toList();
        return badRequest("Invalid job spec", e.getMessage(), errors);
    }

    @ExceptionHandler(DomainProblem.class)
    ResponseEntity<ProblemDetail> domain(DomainProblem e) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        body.setTitle(e.title());
        e.properties().forEach(body::setProperty);
        return ResponseEntity.status(e.status()).body(body);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "another type" : e.getRequiredType().getSimpleName();
        String message = "must be " + expected + ", was \"" + e.getValue() + "\"";
        return badRequest("Invalid parameter", e.getName() + ": " + message, List.of(new FieldError(e.getName(), message)));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        JacksonException json = findCause(e, JacksonException.class);
        if (json == null || json.getPath().isEmpty() || isSyntaxError(json)) {
            String detail = json == null ? "The request body is missing or is not JSON."
                    : "The request body is not valid JSON: " + firstLine(json.getOriginalMessage());
            return problemObject(badRequest("Malformed request body", detail, List.of(new FieldError("body", detail))));
        }
        String field = path(json.getPath());
        String message = json instanceof UnrecognizedPropertyException unknown
                ? "is not a known field; known fields are " + unknown.getKnownPropertyIds()
                : describe(json);
        return problemObject(badRequest("Invalid request body", field + ": " + message, List.of(new FieldError(field, message))));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> new FieldError(
                        r.getMethodParameter().getParameterName(), err.getDefaultMessage())))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).reduce((a, b) -> a + "; " + b).orElse("invalid request");
        return problemObject(badRequest("Invalid parameter", detail, errors));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            org.springframework.web.bind.MissingServletRequestParameterException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String message = "is required (" + e.getParameterType() + ")";
        return problemObject(badRequest("Missing parameter", e.getParameterName() + ": " + message,
                List.of(new FieldError(e.getParameterName(), message))));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestPart(
            org.springframework.web.multipart.support.MissingServletRequestPartException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String message = "is required: send the image file(s) as multipart part \"" + e.getRequestPartName() + "\"";
        return problemObject(badRequest("Missing part", e.getRequestPartName() + ": " + message,
                List.of(new FieldError(e.getRequestPartName(), message))));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unhandled error", e);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "An internal error occurred; it has been logged.");
        body.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(body);
    }

    private static ResponseEntity<ProblemDetail> badRequest(String title, String detail, List<FieldError> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        body.setTitle(title);
        body.setType(URI.create("https://dojo.dev/problems/invalid-input"));
        body.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(body);
    }

    private static ResponseEntity<Object> problemObject(ResponseEntity<ProblemDetail> response) {
        return ResponseEntity.status(response.getStatusCode()).body(response.getBody());
    }

    private static String describe(JacksonException e) {
        String original = e.getOriginalMessage();
        if (original == null) {
            return "has the wrong type or format";
        }
        return "has the wrong type or format: " + firstLine(original);
    }

    /** A broken document (as opposed to a well-formed value of the wrong type or range). */
    private static boolean isSyntaxError(JacksonException e) {
        return e instanceof StreamReadException && !(e instanceof InputCoercionException);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int cut = message.indexOf(" at [Source");
        String line = cut > 0 ? message.substring(0, cut) : message;
        int newline = line.indexOf('\n');
        return newline > 0 ? line.substring(0, newline) : line;
    }

    static String path(List<JacksonException.Reference> references) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference r : references) {
            if (r.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

}
