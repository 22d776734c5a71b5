package dev.dojo.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, before anything else reads a request, what no endpoint could use: a body larger than
 * {@code dojo.limits.max-body-size} (413, at once when Content-Length says so, else as soon as the
 * reader passes the limit) and a query string with a malformed percent-escape or bytes that are
 * not UTF-8 (400, where the container would otherwise fail while parsing it).
 */
class RequestGuard extends OncePerRequestFilter {

    /** Registered from configuration, not as a component, so that web slice tests leave it out. */
    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        FilterRegistrationBean<RequestGuard> requestGuard(LimitSettings limits) {
            FilterRegistrationBean<RequestGuard> bean = new FilterRegistrationBean<>(new RequestGuard(limits));
            bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
            bean.setAsyncSupported(true);
            return bean;
        }
    }

    /** Thrown by a request body's stream once it has passed the size limit. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long limit) {
            super("request body larger than " + limit + " bytes");
        }
    }

    private final LimitSettings limits;

    RequestGuard(LimitSettings limits) {
        this.limits = limits;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long max = limits.maxBodySize().toBytes();
        String query = request.getQueryString();
        Malformed bad = query == null ? null : malformed(query);
        if (bad != null) {
            ProblemResponses.write(response, HttpStatus.BAD_REQUEST, "Malformed query string", bad.field() + ": " + bad.message(),
                    List.of(Map.of("field", bad.field(), "message", bad.message())));
            return;
        }
        if (request.getContentLengthLong() > max) {
            String message = "is larger than " + max + " bytes (dojo.limits.max-body-size)";
            // The rest of the body is not read: the connection closes after this answer.
            response.setHeader("Connection", "close");
            ProblemResponses.write(response, HttpStatus.CONTENT_TOO_LARGE, "Request body too large", "body: " + message,
                    List.of(Map.of("field", "body", "message", message)));
            return;
        }
        chain.doFilter(request.getContentLengthLong() < 0 ? new Limited(request, max) : request, response);
    }

    /** A query parameter that no endpoint can take, and why. */
    record Malformed(String field, String message) {}

    private static final String BAD_ESCAPE = "holds a malformed percent-escape or bytes that are not UTF-8; encode '%' as %25";

    /**
     * The first query parameter whose escapes cannot be decoded, or whose value holds a control
     * character (NUL, CR, LF: no parameter of this API takes one); {@code query} names the string
     * when a parameter's name is what cannot be decoded. Null when the whole query string is sound.
     */
    static Malformed malformed(String query) {
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            String decodedName = decode(name);
            if (decodedName == null || decodedName.chars().anyMatch(Character::isISOControl)) {
                return new Malformed("query", BAD_ESCAPE);
            }
            String field = decodedName.isEmpty() ? "query" : Echo.of(decodedName);
            String decodedValue = decode(value);
            if (decodedValue == null) {
                return new Malformed(field, BAD_ESCAPE);
            }
            if (decodedValue.chars().anyMatch(Character::isISOControl)) {
                return new Malformed(field, "holds a control character (such as NUL, CR or LF), which no parameter takes");
            }
        }
        return null;
    }

    /** Strict form decoding: null when an escape is malformed or the bytes are not UTF-8. */
    static String decode(String s) {
        if (s.indexOf('%') < 0 && s.chars().allMatch(c -> c < 0x80)) {
            return s.replace('+', ' ');
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    return null;
                }
                bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** A request whose body stream fails once more than {@code max} bytes have been read (a chunked body has no length to check first). */
    private static final class Limited extends HttpServletRequestWrapper {

        private final long max;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream(), max);
            }
            return stream;
        }
    }

    private static final class Counting extends ServletInputStream {

        private final ServletInputStream in;
        private final long max;
        private long read;

        Counting(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > max) {
                throw new BodyTooLargeException(max);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
