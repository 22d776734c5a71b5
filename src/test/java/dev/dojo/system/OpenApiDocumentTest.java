package dev.dojo.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document says what the service does, checked over real HTTP for every operation it
 * lists: an operation that needs a key answers 401 without one, one that states a scope answers 403
 * naming that scope to a key without it and lets a key with only that scope through, an open one
 * needs no key, and each 404, 406, 413 and 415 it lists is what a request of that kind gets. Nothing
 * here creates a job: every request fails before a handler would act.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/openapi-${random.uuid}", "dojo.roles=api",
        "dojo.security.bootstrap-key=" + OpenApiDocumentTest.BOOTSTRAP_KEY, "dojo.limits.max-body-size=1KB"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {

    static final String BOOTSTRAP_KEY = "openapi-document-test-bootstrap-key-0123456789";
    private static final List<String> SCOPES = List.of("jobs:read", "jobs:write", "predict", "metrics");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    private JsonNode document;
    /** A key with only this scope ("admin": the bootstrap key). */
    private final Map<String, String> only = new HashMap<>();
    /** A key with every scope but this one (and never admin). */
    private final Map<String, String> lacking = new HashMap<>();

    record Answer(int status, String contentType, String authenticate, JsonNode json, String text) {}

    record Op(String method, String path, JsonNode spec) {

        String name() {
            return method + " " + path;
        }

        boolean lists(String code) {
            return spec.path("responses").has(code);
        }
    }

    @BeforeAll
    void keys() {
        document = call("GET", "/v3/api-docs", null, Map.of(), null).json();
        only.put("admin", BOOTSTRAP_KEY);
        for (String scope : SCOPES) {
            only.put(scope, create(List.of(scope)));
            lacking.put(scope, create(SCOPES.stream().filter(s -> !s.equals(scope)).toList()));
        }
        lacking.put("admin", create(SCOPES));
    }

    @Test
    void theDocumentDeclaresTheBearerSchemeAndAKeyEverywhereButOnOpenRoutes() {
        JsonNode scheme = document.at("/components/securitySchemes/bearerKey");
        assertThat(scheme.path("type").asString()).isEqualTo("http");
        assertThat(scheme.path("scheme").asString()).isEqualTo("bearer");
        assertThat(scheme.path("bearerFormat").asString()).isEqualTo("dojo_<id>_<secret>");
        assertThat(document.at("/security/0/bearerKey").isArray()).isTrue();
        assertThat(document.at("/paths/~1actuator~1health/get/security").isEmpty()).as("health is open").isTrue();
        assertThat(document.at("/paths/~1api~1jobs/post/x-required-scope").asString()).isEqualTo("jobs:write");
        assertThat(document.at("/paths/~1api~1jobs/post/description").asString()).contains("`jobs:write`");
        assertThat(document.at("/info/license/identifier").asString()).isEqualTo("Apache-2.0");
    }

    @TestFactory
    Stream<DynamicTest> everyOperationAnswersAsTheDocumentSays() {
        List<Op> ops = operations();
        assertThat(ops).hasSizeGreaterThan(20);
        return ops.stream().map(op -> DynamicTest.dynamicTest(op.name(), () -> check(op)));
    }

    private void check(Op op) {
        String path = example(op.path());
        JsonNode security = op.spec().path("security");
        boolean open = security.isArray() && security.isEmpty();
        Answer anonymous = call(op.method(), path, null, Map.of(), null);
        if (open) {
            assertThat(anonymous.status()).as("%s needs no key: %s", op.name(), anonymous.text()).isLessThan(400);
            assertThat(op.spec().has("x-required-scope")).isFalse();
            return;
        }
        assertThat(op.lists("401")).as("%s lists 401", op.name()).isTrue();
        assertThat(anonymous.status()).as("%s without a key: %s", op.name(), anonymous.text()).isEqualTo(401);
        assertThat(anonymous.authenticate()).startsWith("Bearer");
        assertProblem(op, anonymous, 401);

        String scope = op.spec().has("x-required-scope") ? op.spec().get("x-required-scope").asString() : null;
        if (scope == null) {
            assertThat(op.lists("403")).as("%s needs any key, so never answers 403", op.name()).isFalse();
            Answer anyKey = call(op.method(), path, only.get("metrics"), Map.of(), null);
            assertThat(anyKey.status()).as("%s with any key: %s", op.name(), anyKey.text()).isNotIn(401, 403);
        } else {
            assertThat(op.lists("403")).as("%s lists 403", op.name()).isTrue();
            assertThat(op.spec().path("description").asString()).contains("`" + scope + "`");
            Answer without = call(op.method(), path, lacking.get(scope), Map.of(), null);
            assertThat(without.status()).as("%s with a key lacking %s: %s", op.name(), scope, without.text()).isEqualTo(403);
            assertProblem(op, without, 403);
            assertThat(without.json().path("requiredScope").asString()).isEqualTo(scope);
            Answer with = call(op.method(), path, only.get(scope), Map.of(), null);
            assertThat(with.status()).as("%s with a key holding only %s: %s", op.name(), scope, with.text()).isNotIn(401, 403);
        }

        String admin = only.get("admin");
        String body = body(op);
        Map<String, String> json = body == null ? Map.of() : Map.of("Content-Type", "application/json");
        if (op.lists("406")) {
            Map<String, String> headers = new HashMap<>(json);
            headers.put("Accept", "application/x-dojo-nothing");
            Answer a = call(op.method(), path, admin, headers, body);
            assertThat(a.status()).as("%s with an Accept it cannot meet: %s", op.name(), a.text()).isEqualTo(406);
            assertProblem(op, a, 406);
        }
        if (op.lists("415")) {
            Answer a = call(op.method(), path, admin, Map.of("Content-Type", "text/plain"), "x");
            assertThat(a.status()).as("%s with a text/plain body: %s", op.name(), a.text()).isEqualTo(415);
            assertProblem(op, a, 415);
        }
        if (op.lists("413")) {
            Answer a = call(op.method(), path, admin, Map.of("Content-Type", "application/json"), "[" + "0,".repeat(1500) + "0]");
            assertThat(a.status()).as("%s with a body over the limit: %s", op.name(), a.text()).isEqualTo(413);
            assertProblem(op, a, 413);
        }
        if (op.lists("404") && op.path().contains("{")) {
            Answer a = call(op.method(), path, admin, json, body);
            assertThat(a.status()).as("%s for an id that does not exist: %s", op.name(), a.text()).isEqualTo(404);
            assertProblem(op, a, 404);
        }
    }

    /** A problem body, and an answer the document lists for this operation. */
    private static void assertProblem(Op op, Answer answer, int status) {
        assertThat(op.lists(Integer.toString(status))).as("%s lists %d", op.name(), status).isTrue();
        assertThat(answer.contentType()).as("%s answers %d with a problem", op.name(), status).startsWith("application/problem+json");
        assertThat(answer.json().path("status").asInt()).isEqualTo(status);
    }

    private List<Op> operations() {
        List<Op> ops = new ArrayList<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            if (List.of("get", "put", "post", "delete", "patch", "head", "options").contains(method.getKey())) {
                ops.add(new Op(method.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(), method.getValue()));
            }
        }));
        return ops;
    }

    /** A request path for a path template: a checkpoint number that no job has, an id that does not exist. */
    private static String example(String template) {
        return template.replace("{number}", "7").replaceAll("\\{[^}/]*}", "no-such-thing");
    }

    /** The operation's JSON example body, or an empty object when it takes a JSON body without one; null when it takes none. */
    private String body(Op op) {
        JsonNode json = op.spec().at("/requestBody/content/application~1json/schema");
        if (json.isMissingNode()) {
            return null;
        }
        JsonNode schema = json.has("$ref") ? document.at(json.get("$ref").asString().substring(1)) : json;
        return schema.has("example") ? schema.get("example").toString() : "{}";
    }

    private String create(List<String> scopes) {
        String body = JSON.writeValueAsString(Map.of("tenant", "openapi", "scopes", scopes, "name", "openapi test"));
        Answer created = call("POST", "/api/keys", BOOTSTRAP_KEY, Map.of("Content-Type", "application/json"), body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("key").asString();
    }

    private Answer call(String method, String path, String key, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        headers.forEach(b::header);
        try {
            HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            String type = r.headers().firstValue("Content-Type").orElse("");
            String text = new String(r.body(), StandardCharsets.UTF_8);
            JsonNode json = type.contains("json") && r.body().length > 0 ? JSON.readTree(text) : null;
            return new Answer(r.statusCode(), type, r.headers().firstValue("WWW-Authenticate").orElse(null), json,
                    text.length() > 500 ? text.substring(0, 500) + "…" : text);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
