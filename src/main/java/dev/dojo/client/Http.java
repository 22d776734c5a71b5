package dev.dojo.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The service at {@code --url}, with the key at {@code --key} as a bearer token. */
final class Http {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final String base;
    private final String key;

    Http(String base, String key) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        try {
            URI uri = URI.create(b);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new Exit.Failure("--url " + base + " is not an http(s) URL");
        }
        this.base = b;
        this.key = key;
    }

    String base() {
        return base;
    }

    /** A request to a path of the service, with the key and an Accept header. */
    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (key != null && !key.isEmpty()) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    /** Sends; a connection that could not be made or broke is an {@link Unreachable}, thrown. */
    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return client.send(request, body);
        } catch (IOException e) {
            throw new Unreachable(request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Exit.Failure("interrupted");
        }
    }

    /** A JSON answer, or a {@link Exit.Failure} naming the problem when the status is not 2xx. */
    JsonNode json(HttpRequest request) {
        HttpResponse<byte[]> r = send(request, HttpResponse.BodyHandlers.ofByteArray());
        requireOk(r.statusCode(), r.body());
        try {
            return JSON.readTree(r.body());
        } catch (JacksonException e) {
            throw new Exit.Failure(request.uri().getPath() + " answered " + r.statusCode() + " with no JSON");
        }
    }

    JsonNode get(String path) {
        return json(request(path).header("Accept", "application/json").GET().build());
    }

    JsonNode post(String path, String json) {
        return json(request(path).header("Accept", "application/json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static void requireOk(int status, byte[] body) {
        if (status / 100 != 2) {
            throw new Exit.Failure(problem(status, body));
        }
    }

    /** One line from an application/problem+json answer: status, title, detail and the fields it names. */
    static String problem(int status, byte[] body) {
        StringBuilder line = new StringBuilder("HTTP ").append(status);
        try {
            JsonNode p = JSON.readTree(body);
            if (p.hasNonNull("title")) {
                line.append(": ").append(p.get("title").asString());
            }
            if (p.hasNonNull("detail")) {
                line.append(": ").append(p.get("detail").asString());
            }
            if (p.has("errors") && p.get("errors").isArray() && !line.toString().contains(":")) {
                for (JsonNode e : p.get("errors")) {
                    line.append("; ").append(e.path("field").asString("")).append(' ').append(e.path("message").asString(""));
                }
            }
        } catch (JacksonException | IllegalArgumentException e) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            if (!text.isEmpty()) {
                line.append(": ").append(text, 0, Math.min(text.length(), 200));
            }
        }
        return line.toString().replaceAll("[\\r\\n]+", " ");
    }

    /** The service could not be reached, or the connection broke: worth a retry. */
    static final class Unreachable extends RuntimeException {
        Unreachable(URI uri, IOException cause) {
            super("cannot reach " + uri.getScheme() + "://" + uri.getAuthority() + ": " + describe(cause), cause, false, false);
        }

        private static String describe(IOException e) {
            if (e instanceof ConnectException) {
                return "connection refused";
            }
            String m = e.getMessage();
            return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
        }
    }
}
