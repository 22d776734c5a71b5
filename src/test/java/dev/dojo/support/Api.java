package dev.dojo.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small real-HTTP client for end-to-end tests against a server on a random port. */
public final class Api {

    /** A response with its body parsed when it is JSON. */
    public record Response(int status, HttpResponse<byte[]> raw, JsonNode json) {

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        public String text() {
            return new String(raw.body());
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpClient http = HTTP;
    private final String base;
    /** The Authorization header every request carries, or null for none. */
    private final String authorization;

    public Api(int port) {
        this("http://127.0.0.1:" + port, null);
    }

    private Api(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** The same client, presenting {@code key} as a bearer key on every request. */
    public Api withKey(String key) {
        return new Api(base, key == null ? null : "Bearer " + key);
    }

    /** The same client, sending this exact Authorization header (for malformed ones). */
    public Api withAuthorization(String header) {
        return new Api(base, header);
    }

    /** Any method, with an optional JSON body. */
    public Response request(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response post(String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json");
        return send(json == null ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response post(String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** Submits a spec and returns the new job's id, failing unless the answer is 202. */
    public String submit(String spec) {
        Response r = post("/api/jobs", spec);
        if (r.status() != 202) {
            throw new AssertionError("submit answered " + r.status() + ": " + r.text());
        }
        return r.json().get("id").asString();
    }

    /** A key just made: its id (for {@code DELETE /api/keys/{id}}) and the key itself. */
    public record NewKey(String id, String key) {}

    /** Creates a key of {@code tenant} with {@code scopes} (this client must be allowed to), failing unless 201. */
    public NewKey createKey(String tenant, String... scopes) {
        StringBuilder json = new StringBuilder("{\"tenant\":\"").append(tenant).append("\",\"name\":\"test\",\"scopes\":[");
        for (int i = 0; i < scopes.length; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(scopes[i]).append('"');
        }
        Response r = post("/api/keys", json.append("]}").toString());
        if (r.status() != 201) {
            throw new AssertionError("key creation answered " + r.status() + ": " + r.text());
        }
        return new NewKey(r.json().get("id").asString(), r.json().get("key").asString());
    }

    /** Long-polls the job until it ends (or the time is up) and returns its view. */
    public JsonNode await(String id, int seconds) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/jobs/" + id + "?waitSeconds=" + seconds)).GET();
        return send(b, Duration.ofSeconds(seconds + 60)).json();
    }

    public static JsonNode parse(String json) {
        return JSON.readTree(json);
    }

    private Response send(HttpRequest.Builder request) {
        return send(request, Duration.ofSeconds(120));
    }

    private Response send(HttpRequest.Builder request, Duration timeout) {
        try {
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<byte[]> r = http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode json = type.contains("json") && r.body().length > 0 ? JSON.readTree(r.body()) : null;
            return new Response(r.statusCode(), r, json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
