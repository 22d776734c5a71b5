package dev.dojo.system;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The error page: what the container sends when an error leaves the application without an answer
 * (a TRACE it refuses, an exception in a filter, a {@code sendError}). Replaces Spring Boot's
 * {@code {timestamp, status, error, path}} with a problem, whatever the Accept header asks for, and
 * never shows the exception.
 */
@Controller
class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    @RequestMapping("${server.error.path:${error.path:/error}}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer i ? HttpStatus.resolve(i) : null;
        if (status == null || !status.isError()) {
            // Asked for directly, or a status Spring does not know: nothing is here.
            status = code == null ? HttpStatus.NOT_FOUND : HttpStatus.INTERNAL_SERVER_ERROR;
        }
        Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (status.is5xxServerError() && exception instanceof Throwable t) {
            log.error("Unhandled error on {}", Echo.of(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)), t);
        }
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        ProblemResponses.write(response, status, status.getReasonPhrase(), ProblemResponses.detail(status), null);
    }
}
