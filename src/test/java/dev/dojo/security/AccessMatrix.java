package dev.dojo.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Every endpoint over real HTTP with no key, a malformed key, an unknown key, a revoked key, a key
 * lacking the scope, another tenant's key, and the right key. The node starts with no key (anonymous
 * local mode), the first admin key is created anonymously, and from then on every request needs one.
 * Subclasses run it on the embedded database and on the real PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AccessMatrix {

    @LocalServerPort
    int port;

    Api anonymous;
    Api admin;
    Api teamA;
    Api teamARead;
    Api teamAMetrics;
    Api teamB;
    Api revoked;
    String job;
    /** An ended job of team a that the DELETE route deletes. */
    String doomed;

    /** One route: what it needs, and what the right key gets. */
    record Route(String method, String path, String body, Scope scope, boolean ofJob, int ok, String okTitle) {

        String describe() {
            return method + " " + path;
        }
    }

    @BeforeAll
    void keysAndAJob() {
        anonymous = new Api(port);
        // No key exists yet: the node is in anonymous local mode, and the first key is made anonymously.
        assertThat(anonymous.get("/api/jobs").status()).isEqualTo(200);
        admin = anonymous.withKey(create(anonymous, "admin", List.of("admin"), "first admin"));
        assertThat(anonymous.get("/api/jobs").status()).as("once a key exists, anonymous requests are refused").isEqualTo(401);

        teamA = anonymous.withKey(create(admin, "team-a", List.of("jobs:read", "jobs:write", "predict"), "ci"));
        teamARead = anonymous.withKey(create(admin, "team-a", List.of("jobs:read"), "dashboard"));
        teamAMetrics = anonymous.withKey(create(admin, "team-a", List.of("metrics"), "prometheus"));
        teamB = anonymous.withKey(create(admin, "team-b", List.of("jobs:read", "jobs:write", "predict"), "other team"));
        Api.Response made = admin.post("/api/keys", "{\"tenant\":\"team-a\",\"scopes\":[\"jobs:read\",\"jobs:write\",\"predict\"]}");
        revoked = anonymous.withKey(made.json().get("key").asString());
        assertThat(admin.request("DELETE", "/api/keys/" + made.json().get("id").asString(), null).status()).isEqualTo(204);

        job = teamA.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":50}}");
        assertThat(teamA.await(job, 120).get("status").asString()).isEqualTo("SUCCEEDED");
        doomed = teamA.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":50}}");
        assertThat(teamA.await(doomed, 120).get("status").asString()).isEqualTo("SUCCEEDED");
    }

    static String create(Api as, String tenant, List<String> scopes, String name) {
        String scopeJson = String.join(",", scopes.stream().map(s -> "\"" + s + "\"").toList());
        Api.Response r = as.post("/api/keys", "{\"tenant\":\"" + tenant + "\",\"scopes\":[" + scopeJson + "],\"name\":\"" + name + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        String key = r.json().get("key").asString();
        assertThat(key).matches("dojo_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}").startsWith("dojo_" + r.json().get("id").asString() + "_");
        return key;
    }

    List<Route> routes() {
        String j = "/api/jobs/" + job;
        List<Route> r = new ArrayList<>();
        r.add(new Route("GET", "/api/jobs", null, Scope.JOBS_READ, false, 200, null));
        r.add(new Route("GET", j, null, Scope.JOBS_READ, true, 200, null));
        r.add(new Route("GET", j + "?waitSeconds=1", null, Scope.JOBS_READ, true, 200, null));
        r.add(new Route("GET", j + "/metrics", null, Scope.JOBS_READ, true, 200, null));
        r.add(new Route("GET", j + "/checkpoints", null, Scope.JOBS_READ, true, 200, null));
        r.add(new Route("GET", j + "/checkpoints/1", null, Scope.JOBS_READ, true, 200, null));
        r.add(new Route("GET", j + "/export", null, Scope.JOBS_READ, true, 200, null));
        r.add(new Route("GET", j + "/export?checkpoint=1", null, Scope.JOBS_READ, true, 200, null));
        r.add(new Route("GET", j + "/events", null, Scope.JOBS_READ, true, 200, null));
        r.add(new Route("GET", j + "/logs", null, Scope.JOBS_READ, true, 200, null));
        r.add(new Route("GET", j + "/model", null, Scope.JOBS_READ, true, 200, null));
        r.add(new Route("GET", j + "/plots/loss.svg", null, Scope.JOBS_READ, true, 200, null));
        r.add(new Route("GET", j + "/plots/fit.svg", null, Scope.JOBS_READ, true, 200, null));
        r.add(new Route("GET", "/api/compare?metric=train_loss&jobs=" + job, null, Scope.JOBS_READ, true, 200, null));
        r.add(new Route("GET", "/api/compare/plot.svg?jobs=" + job, null, Scope.JOBS_READ, true, 200, null));
        r.add(new Route("GET", j + "/evaluation", null, Scope.JOBS_READ, true, 404, "No evaluation yet"));
        r.add(new Route("GET", j + "/test-images", null, Scope.JOBS_READ, true, 404, "No test images"));
        r.add(new Route("POST", j + "/predictions", "{\"instances\":[0.5]}", Scope.PREDICT, true, 200, null));
        r.add(new Route("POST", j + "/cancel", null, Scope.JOBS_WRITE, true, 409, "Job already ended"));
        r.add(new Route("DELETE", "/api/jobs/" + doomed, null, Scope.JOBS_WRITE, true, 204, null));
        r.add(new Route("POST", "/api/jobs", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":5}}", Scope.JOBS_WRITE, false,
                202, null));
        r.add(new Route("GET", "/api/workers", null, Scope.ADMIN, false, 200, null));
        r.add(new Route("GET", "/api/keys", null, Scope.ADMIN, false, 200, null));
        r.add(new Route("GET", "/api/tenants/team-a/quota", null, Scope.ADMIN, false, 200, null));
        r.add(new Route("PUT", "/api/tenants/team-c/quota", "{\"maxQueuedJobs\":7}", Scope.ADMIN, false, 200, null));
        r.add(new Route("GET", "/actuator/prometheus", null, Scope.METRICS, false, 200, null));
        r.add(new Route("GET", "/actuator/metrics", null, Scope.METRICS, false, 200, null));
        return r;
    }

    /** The right key for a route: one of team a's that holds the scope, or the admin's. */
    Api rightKey(Scope scope) {
        return switch (scope) {
            case JOBS_READ, JOBS_WRITE, PREDICT -> teamA;
            case METRICS -> teamAMetrics;
            case ADMIN -> admin;
        };
    }

    /** A valid key of team a that lacks the scope. */
    Api lacking(Scope scope) {
        return switch (scope) {
            case JOBS_READ -> teamAMetrics;
            case JOBS_WRITE, PREDICT -> teamARead;
            case METRICS, ADMIN -> teamA;
        };
    }

    @TestFactory
    Stream<DynamicTest> everyRouteWithEveryKindOfKey() {
        return routes().stream().flatMap(route -> Stream.of(
                DynamicTest.dynamicTest(route.describe() + " without a key: 401", () ->
                        unauthorized(anonymous.request(route.method(), route.path(), route.body()), false)),
                DynamicTest.dynamicTest(route.describe() + " with a malformed Authorization: 401", () ->
                        unauthorized(anonymous.withAuthorization("Basic dXNlcjpwYXNz").request(route.method(), route.path(), route.body()), true)),
                DynamicTest.dynamicTest(route.describe() + " with an unknown key: 401", () ->
                        unauthorized(anonymous.withKey("dojo_AAAAAAAAAAAA_" + "B".repeat(43)).request(route.method(), route.path(), route.body()), true)),
                DynamicTest.dynamicTest(route.describe() + " with a revoked key: 401", () ->
                        unauthorized(revoked.request(route.method(), route.path(), route.body()), true)),
                DynamicTest.dynamicTest(route.describe() + " with a key lacking " + route.scope().value() + ": 403", () -> {
                    Api.Response r = lacking(route.scope()).request(route.method(), route.path(), route.body());
                    problem(r, 403);
                    assertThat(r.json().get("requiredScope").asString()).isEqualTo(route.scope().value());
                    assertThat(r.json().get("detail").asString()).contains(route.scope().value());
                }),
                DynamicTest.dynamicTest(route.describe() + " with another tenant's key: as if the job did not exist", () -> {
                    if (route.ofJob()) {
                        Api.Response r = teamB.request(route.method(), route.path(), route.body());
                        problem(r, 404);
                        assertThat(r.json().get("title").asString()).isEqualTo("Job not found");
                    } else if (route.path().equals("/api/jobs") && route.method().equals("GET")) {
                        assertThat(ids(teamB.get("/api/jobs"))).doesNotContain(job);
                    }
                }),
                DynamicTest.dynamicTest(route.describe() + " with the right key: " + route.ok(), () -> {
                    Api.Response r = rightKey(route.scope()).request(route.method(), route.path(), route.body());
                    assertThat(r.status()).as(r.text()).isEqualTo(route.ok());
                    if (route.okTitle() != null) {
                        assertThat(r.json().get("title").asString()).isEqualTo(route.okTitle());
                    }
                })));
    }

    @Test
    void healthAndTheApiDocumentNeedNoKey() {
        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(anonymous.get("/v3/api-docs").status()).isEqualTo(200);
        assertThat(anonymous.get("/").status()).isEqualTo(200);
    }

    @Test
    void anAdminSeesEveryTenantsJobsAndFiltersByTenant() {
        String other = teamB.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":5}}");
        assertThat(admin.get("/api/jobs/" + job).status()).isEqualTo(200);
        assertThat(admin.get("/api/jobs/" + other).status()).isEqualTo(200);
        assertThat(ids(admin.get("/api/jobs?size=200"))).contains(job, other);
        assertThat(ids(admin.get("/api/jobs?size=200&tenant=team-b"))).contains(other).doesNotContain(job);
        assertThat(ids(teamA.get("/api/jobs?size=200"))).contains(job).doesNotContain(other);
        // A tenant filter naming another tenant shows a non-admin nothing, rather than widening its view.
        assertThat(ids(teamA.get("/api/jobs?size=200&tenant=team-b"))).isEmpty();
        JsonNode view = teamA.get("/api/jobs/" + job).json();
        assertThat(view.get("tenant").asString()).isEqualTo("team-a");
        assertThat(view.get("submittedByKey").asString()).matches("[0-9A-Za-z]{12}");
    }

    @Test
    void keysAreListedWithoutSecretsAndShownOnlyOnce() {
        Api.Response list = admin.get("/api/keys");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.text()).doesNotContain("dojo_").doesNotContain("secret");
        JsonNode first = list.json().get(0);
        assertThat(first.has("key")).isFalse();
        assertThat(first.has("lastUsedAt")).isTrue();
    }

    @Test
    void badKeyRequestsAreRefusedNamingTheField() {
        problemNaming(admin.post("/api/keys", "{\"tenant\":\"Team A\",\"scopes\":[\"jobs:read\"]}"), "tenant");
        problemNaming(admin.post("/api/keys", "{\"tenant\":\"team-a\",\"scopes\":[]}"), "scopes");
        problemNaming(admin.post("/api/keys", "{\"tenant\":\"team-a\",\"scopes\":[\"root\"]}"), "scopes[0]");
        problemNaming(admin.post("/api/keys", "{\"tenant\":\"team-a\",\"scopes\":[\"jobs:read\"],\"name\":\"\"}"), "name");
        assertThat(admin.request("DELETE", "/api/keys/nosuchkey", null).status()).isEqualTo(404);
    }

    private static void problemNaming(Api.Response r, String field) {
        problem(r, 400);
        assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
    }

    private static void unauthorized(Api.Response r, boolean keyPresented) {
        problem(r, 401);
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
        if (keyPresented) {
            assertThat(r.header("WWW-Authenticate")).contains("invalid_token");
        }
    }

    private static void problem(Api.Response r, int status) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text()).doesNotContain("dojo_");
    }

    private static List<String> ids(Api.Response page) {
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        page.json().get("items").forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }
}
