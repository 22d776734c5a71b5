package dev.dojo.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 over a plain socket, for requests that a well-behaved client refuses to send: a raw NUL or
 * backslash in the path, a CR inside a header, a missing Host, a made-up method, a lying or chunked
 * body. Every request closes its connection; the answer is read whole (chunked bodies decoded).
 */
public final class RawHttp {

    /** A parsed answer. {@code headers} keys are lower case. */
    public record Answer(int status, Map<String, List<String>> headers, byte[] body, long millis) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The header block as sent, for checks of what the answer reveals. */
        public String headerText() {
            StringBuilder out = new StringBuilder();
            headers.forEach((k, vs) -> vs.forEach(v -> out.append(k).append(": ").append(v).append('\n')));
            return out.toString();
        }
    }

    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    /** Sends {@code request} (head and body, exactly as given) and reads the answer within {@code timeout}. */
    public Answer send(byte[] request, Duration timeout) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            // Written on its own thread: the server may answer (413, 400) before it has read the
            // whole body, and the answer must be read before the connection is reset.
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    for (int off = 0; off < request.length; off += 64 * 1024) {
                        out.write(request, off, Math.min(64 * 1024, request.length - off));
                    }
                    out.flush();
                } catch (IOException e) {
                    // The server stopped reading: its answer says why.
                }
            });
            byte[] raw = readAll(socket.getInputStream(), start, timeout);
            writing.cancel(true);
            return parse(raw, (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new IllegalStateException("no answer: " + e, e);
        }
    }

    /** A request with {@code Host} and {@code Connection: close}, the given header lines, and a Content-Length body when there is one. */
    public static byte[] request(String method, String target, List<String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        return concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), body == null ? new byte[0] : body);
    }

    /** The same body sent chunked, with no Content-Length, in chunks of 8 KB. */
    public static byte[] chunked(String method, String target, List<String> headers, byte[] body) {
        List<String> all = new ArrayList<>(headers);
        all.add("Transfer-Encoding: chunked");
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        for (int off = 0; off < body.length; off += 8192) {
            int n = Math.min(8192, body.length - off);
            chunks.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            chunks.write(body, off, n);
            chunks.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        chunks.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return concat(request(method, target, all, null), chunks.toByteArray());
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] readAll(InputStream in, long start, Duration timeout) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (System.nanoTime() - start > timeout.toNanos()) {
                    throw new IllegalStateException("answer not complete within " + timeout);
                }
            }
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("no complete answer within " + timeout + "; got " + out.size() + " bytes", e);
        } catch (IOException e) {
            // A reset after the answer: keep what arrived.
            if (out.size() == 0) {
                throw e;
            }
        }
        return out.toByteArray();
    }

    private static Answer parse(byte[] raw, long millis) {
        int at = 0;
        while (true) {
            int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
            if (end < 0) {
                throw new IllegalStateException("not an HTTP answer: " + new String(raw, StandardCharsets.ISO_8859_1));
            }
            String[] lines = new String(raw, at, end - at, StandardCharsets.ISO_8859_1).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            int bodyStart = end + 4;
            if (status >= 100 && status < 200) {
                at = bodyStart;
                continue;
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
            byte[] rest = java.util.Arrays.copyOfRange(raw, bodyStart, raw.length);
            List<String> te = headers.get("transfer-encoding");
            byte[] body = te != null && te.get(0).equalsIgnoreCase("chunked") ? dechunk(rest) : rest;
            return new Answer(status, headers, body, millis);
        }
    }

    private static byte[] dechunk(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < in.length) {
            int eol = indexOf(in, "\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(new String(in, at, eol - at, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(in, eol + 2, Math.min(size, in.length - eol - 2));
            at = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
