package dev.dojo.system;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's error report as a problem: what the container answers itself, before any application
 * code runs (an encoded slash, a NUL or a backslash in the path, a request line or headers beyond
 * their limits), is {@code application/problem+json} like every other error. Tomcat's own texts
 * are not shown: they can quote the request.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(code);
        String detail;
        if (code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED.value()) {
            // A request line naming HTTP/9.9 is the client's error, not the server's.
            status = HttpStatus.BAD_REQUEST;
            detail = "The request line names an HTTP version this service does not speak; use HTTP/1.1.";
            response.setStatus(status.value());
        } else {
            if (status == null) {
                status = code >= 500 ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.BAD_REQUEST;
            }
            detail = ProblemResponses.detail(status);
        }
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader("Content-Language", null);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(ProblemResponses.json(status, status.getReasonPhrase(), detail));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response cannot be written; nothing more to do.
        }
    }
}
