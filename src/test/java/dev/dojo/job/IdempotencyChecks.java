package dev.dojo.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.security.Caller;
import dev.dojo.security.Scope;
import dev.dojo.support.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * POST /api/jobs with an Idempotency-Key, over real HTTP: a retry answers the first job and creates
 * nothing, a changed body is a 422, a key still in flight is a 409, and many concurrent submits with
 * one key create exactly one job. Subclasses run it on one H2 node and on two api nodes sharing one
 * PostgreSQL database, where {@link #first} and {@link #second} are different nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IdempotencyChecks {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The port of the node a first request goes to, and of the node its retry goes to. */
    abstract int first();

    abstract int second();

    /** A bean of the first node: its service, and its keys, to claim a key as a request in flight does. */
    abstract <T> T bean(Class<T> type);

    JdbcTemplate jdbc() {
        return bean(JdbcTemplate.class);
    }

    JobService service() {
        return bean(JobService.class);
    }

    record Answer(int status, String replayed, String location, JsonNode json) {}

    static Answer submit(int port, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jobs"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().firstValue("Idempotent-Replayed").orElse(null),
                r.headers().firstValue("Location").orElse(null), r.body().isEmpty() ? null : Api.parse(r.body()));
    }

    /** A spec that only this test's jobs carry, so the count of jobs it made can be read back. */
    static String spec(String run, int epochs) {
        return "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":" + epochs + "},\"labels\":{\"test.run\":\"" + run + "\"}}";
    }

    int jobsOf(String run) {
        return jdbc().queryForObject("SELECT COUNT(*) FROM job_label WHERE label_key = 'test.run' AND label_value = ?", Integer.class, run);
    }

    @Test
    void aRetriedSubmitAnswersTheFirstJobAndCreatesNothing() throws Exception {
        String run = UUID.randomUUID().toString();
        String key = "retry-" + run;
        Answer firstTry = submit(first(), key, spec(run, 20));
        assertThat(firstTry.status()).as(String.valueOf(firstTry.json())).isEqualTo(202);
        assertThat(firstTry.replayed()).isNull();
        String id = firstTry.json().get("id").asString();

        // The same spec, its fields in another order and a default spelled out: the same resolved spec.
        String same = "{\"labels\":{\"test.run\":\"" + run + "\"},\"priority\":0,\"hyperparameters\":{\"epochs\":20},"
                + "\"task\":\"sine-regression\"}";
        Answer retry = submit(second(), key, same);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.replayed()).isEqualTo("true");
        assertThat(retry.location()).isEqualTo(firstTry.location()).isEqualTo("/api/jobs/" + id);
        assertThat(retry.json().get("id").asString()).isEqualTo(id);
        assertThat(fieldNames(retry.json())).isEqualTo(fieldNames(firstTry.json()));
        assertThat(retry.json().get("spec")).isEqualTo(firstTry.json().get("spec"));
        assertThat(jobsOf(run)).isEqualTo(1);

        // Without the key, the same spec is a new job: the key alone makes a retry.
        assertThat(submit(second(), null, spec(run, 20)).status()).isEqualTo(202);
        assertThat(jobsOf(run)).isEqualTo(2);
    }

    @Test
    void theSameKeyWithAnotherBodyIsA422AndCreatesNothing() throws Exception {
        String run = UUID.randomUUID().toString();
        String key = "changed-" + run;
        assertThat(submit(first(), key, spec(run, 20)).status()).isEqualTo(202);
        Answer changed = submit(second(), key, spec(run, 21));
        assertThat(changed.status()).isEqualTo(422);
        assertThat(changed.json().get("title").asString()).isEqualTo("Idempotency-Key reused");
        assertThat(changed.json().get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(jobsOf(run)).isEqualTo(1);
    }

    @Test
    void aKeyWhoseFirstRequestIsStillInFlightIsA409() throws Exception {
        String run = UUID.randomUUID().toString();
        String key = "in-flight-" + run;
        // Claimed on the first node as a first request does before it queues its job.
        JobSpecs specs = bean(JobSpecs.class);
        String fingerprint = specs.fingerprint(specs.resolve(bean(JsonMapper.class).readValue(spec(run, 20), JobRequest.class), Caller.local().visibility()));
        IdempotencyKeys keys = bean(IdempotencyKeys.class);
        IdempotencyKeys.Outcome claimed = keys.claim(Caller.LOCAL_TENANT, key, fingerprint, Duration.ofHours(1));
        assertThat(claimed.claim()).isNotNull();
        Answer second = submit(second(), key, spec(run, 20));
        assertThat(second.status()).as(String.valueOf(second.json())).isEqualTo(409);
        assertThat(second.json().get("title").asString()).isEqualTo("Idempotency-Key in use");
        assertThat(jobsOf(run)).isZero();
        // Once the first request gives up its claim (it was refused, say), a retry runs afresh.
        keys.release(claimed.claim());
        Answer retry = submit(second(), key, spec(run, 20));
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.replayed()).isNull();
        assertThat(jobsOf(run)).isEqualTo(1);
    }

    @Test
    void concurrentSubmitsWithOneKeyCreateExactlyOneJob() throws Exception {
        String run = UUID.randomUUID().toString();
        String key = "race-" + run;
        int clients = 12;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int port = i % 2 == 0 ? first() : second();
                Callable<Answer> call = () -> {
                    go.await();
                    return submit(port, key, spec(run, 20));
                };
                answers.add(pool.submit(call));
            }
            go.countDown();
            List<String> ids = new ArrayList<>();
            int created = 0;
            for (Future<Answer> f : answers) {
                Answer a = f.get();
                assertThat(a.status()).as(String.valueOf(a.json())).isIn(202, 409);
                if (a.status() == 202) {
                    ids.add(a.json().get("id").asString());
                    created += a.replayed() == null ? 1 : 0;
                }
            }
            assertThat(jobsOf(run)).isEqualTo(1);
            assertThat(created).isEqualTo(1);
            assertThat(ids).isNotEmpty().allMatch(ids.get(0)::equals);
            // After the race, every retry is a replay of that one job.
            Answer after = submit(second(), key, spec(run, 20));
            assertThat(after.replayed()).isEqualTo("true");
            assertThat(after.json().get("id").asString()).isEqualTo(ids.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keysAreScopedToTheTenant() {
        String run = UUID.randomUUID().toString();
        JobRequest request = new JobRequest("sine-regression", null, null, null, null, null, null,
                java.util.Map.of("test.run", run), null, null, null, null, null, null);
        Caller a = new Caller("idem-a", null, Scope.ALL);
        Caller b = new Caller("idem-b", null, Scope.ALL);
        JobService.Submitted ofA = service().submit(request, a, "shared-key-" + run);
        JobService.Submitted ofB = service().submit(request, b, "shared-key-" + run);
        assertThat(ofA.replayed()).isFalse();
        assertThat(ofB.replayed()).isFalse();
        assertThat(ofB.job().id()).isNotEqualTo(ofA.job().id());
        assertThat(ofB.job().tenant()).isEqualTo("idem-b");
        assertThat(service().submit(request, a, "shared-key-" + run).job().id()).isEqualTo(ofA.job().id());
    }

    @Test
    void aKeyOfTheWrongLengthIsA400NamingTheHeader() throws Exception {
        String run = UUID.randomUUID().toString();
        for (String bad : List.of("", "k".repeat(256))) {
            Answer a = submit(first(), bad, spec(run, 20));
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.json().get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
        }
        assertThat(submit(first(), "k".repeat(255), spec(run, 20)).status()).isEqualTo(202);
        assertThat(jobsOf(run)).isEqualTo(1);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}
