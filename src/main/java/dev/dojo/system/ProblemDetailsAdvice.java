package dev.dojo.system;

import dev.dojo.dataset.DatasetUnavailableException;
import dev.dojo.training.InvalidSpecException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.apache.tomcat.util.http.fileupload.impl.FileCountLimitExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error into an RFC 9457 problem. Bad input is a 400 whose {@code errors} name each
 * field and say what to fix, in the API's words: never the JSON library's message, a Java type or
 * more than a short prefix of what the client sent. Anything unexpected is a 500 that is logged and
 * leaks no internals.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    static final URI INVALID_INPUT = URI.create("https://dojo.dev/problems/invalid-input");
    /** The longest {@code detail} an answer carries; what the code writes is far shorter, this only bounds the framework's texts. */
    private static final int MAX_DETAIL = 400;
    private static final int MAX_INSTANCE = 100;

    /** One field at fault and what to do about it. */
    record FieldError(String field, String message) {}

    private final ObjectProvider<LimitSettings> limits;

    ProblemDetailsAdvice(ObjectProvider<LimitSettings> limits) {
        this.limits = limits;
    }

    @ExceptionHandler(InvalidSpecException.class)
    ResponseEntity<Object> invalidSpec(InvalidSpecException e, WebRequest request) {
        List<FieldError> errors = e.violations().stream().map(v -> new FieldError(v.field(), v.message())).toList();
        return finish(badRequest(e.title(), e.getMessage(), errors), request);
    }

    @ExceptionHandler(DomainProblem.class)
    ResponseEntity<Object> domain(DomainProblem e, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        body.setTitle(e.title());
        e.properties().forEach(body::setProperty);
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(e.status());
        if (e.retryAfter() != null) {
            answer.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        return finish(answer.body(body), request);
    }

    @ExceptionHandler(DatasetUnavailableException.class)
    ResponseEntity<Object> datasetUnavailable(DatasetUnavailableException e, WebRequest request) {
        // The message names directories of this machine: it goes to the log, not to the client.
        log.warn("data set unavailable: {}", e.getMessage());
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "The data set this needs is not installed on this node; its log says where it is expected.");
        body.setTitle("Data set unavailable");
        return finish(ResponseEntity.status(HttpStatus.NOT_FOUND).body(body), request);
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> multipart(MultipartException e, WebRequest request) {
        String message = JsonErrors.multipart(e);
        return finish(badRequest("Malformed multipart body", "body: " + message, List.of(new FieldError("body", message))), request);
    }

    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ResponseEntity<Object> invalidParameter(Exception e, WebRequest request) {
        String message = "holds a malformed percent-escape or is not UTF-8; encode '%' as %25";
        return finish(badRequest("Malformed parameters", "query: " + message, List.of(new FieldError("query", message))), request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String name = e.getPropertyName() == null ? "parameter" : e.getPropertyName();
        String message = JsonErrors.expectedParameter(e.getRequiredType(), e.getValue());
        return finish(badRequest("Invalid parameter", name + ": " + message, List.of(new FieldError(name, message))), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (findCause(e, RequestGuard.BodyTooLargeException.class) != null) {
            return finish(tooLarge(), request);
        }
        JsonErrors.Described d = JsonErrors.describe(e, limits.getIfAvailable(LimitSettings::defaults).maxJsonDepth());
        String title = "body".equals(d.field()) ? "Malformed request body" : "Invalid request body";
        return finish(badRequest(title, d.field() + ": " + d.message(), List.of(new FieldError(d.field(), d.message()))), request);
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (findCause(e, FileCountLimitExceededException.class) != null) {
            String message = "holds more parts than a request may (server.tomcat.max-part-count); send fewer files";
            ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, "body: " + message);
            body.setTitle("Too many parts");
            body.setType(INVALID_INPUT);
            body.setProperty("errors", List.of(new FieldError("body", message)));
            return finish(ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(body), request);
        }
        return finish(tooLarge(), request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> new FieldError(
                        r.getMethodParameter().getParameterName(), err.getDefaultMessage())))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).reduce((a, b) -> a + "; " + b).orElse("invalid request");
        return finish(badRequest("Invalid parameter", detail, errors), request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String message = "is required";
        return finish(badRequest("Missing parameter", e.getParameterName() + ": " + message,
                List.of(new FieldError(e.getParameterName(), message))), request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestPart(
            MissingServletRequestPartException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String message = "is required: send the image file(s) as multipart part \"" + e.getRequestPartName() + "\"";
        return finish(badRequest("Missing part", e.getRequestPartName() + ": " + message,
                List.of(new FieldError(e.getRequestPartName(), message))), request);
    }

    /** Every answer the base class builds passes here: its texts are bounded and its instance is short. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            bound(problem, request);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        log.error("Unhandled error", e);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "An internal error occurred; it has been logged.");
        body.setTitle("Internal error");
        return finish(ResponseEntity.internalServerError().body(body), request);
    }

    private ResponseEntity<ProblemDetail> tooLarge() {
        LimitSettings l = limits.getIfAvailable(LimitSettings::defaults);
        String message = "is larger than " + l.maxBodySize().toBytes() + " bytes (dojo.limits.max-body-size)";
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, "body: " + message);
        body.setTitle("Request body too large");
        body.setType(INVALID_INPUT);
        body.setProperty("errors", List.of(new FieldError("body", message)));
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(body);
    }

    private static ResponseEntity<ProblemDetail> badRequest(String title, String detail, List<FieldError> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        body.setTitle(title);
        body.setType(INVALID_INPUT);
        body.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(body);
    }

    private static ResponseEntity<Object> finish(ResponseEntity<ProblemDetail> response, WebRequest request) {
        ProblemDetail body = response.getBody();
        if (body != null) {
            bound(body, request);
        }
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders()).body(body);
    }

    /** Bounds what a problem repeats of the request: its detail and its instance (the path). */
    private static void bound(ProblemDetail problem, WebRequest request) {
        if (problem.getDetail() != null && problem.getDetail().length() > MAX_DETAIL) {
            problem.setDetail(Echo.clip(problem.getDetail(), MAX_DETAIL));
        }
        if (problem.getInstance() == null && request instanceof ServletWebRequest servlet) {
            problem.setInstance(instance(servlet.getRequest()));
        }
    }

    /** The request's path as the problem's instance: at most 100 characters, cut before any escape it would split. */
    static URI instance(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (path == null || path.isEmpty()) {
            return URI.create("/");
        }
        if (path.length() > MAX_INSTANCE) {
            path = path.substring(0, MAX_INSTANCE);
            int percent = path.lastIndexOf('%');
            if (percent >= 0 && percent > path.length() - 3) {
                path = path.substring(0, percent);
            }
        }
        try {
            return URI.create(path);
        } catch (IllegalArgumentException e) {
            return URI.create("/");
        }
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
