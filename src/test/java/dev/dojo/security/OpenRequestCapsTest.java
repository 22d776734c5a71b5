package dev.dojo.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.support.Api;
import dev.dojo.system.OpenRequests;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The per-tenant caps of open requests ({@code dojo.limits.max-long-polls-per-tenant},
 * {@code max-event-streams-per-tenant}, both 2 here): a tenant at its cap gets a 429 problem with
 * Retry-After naming the setting, while another tenant still opens one, and a place is given back
 * when its request ends.
 */
class OpenRequestCapsTest extends TenantNode {

    private static final String SPEC = "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":1}}";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    OpenRequests open;

    @Test
    void aTenantAtItsLongPollCapIsRefusedWhileAnotherTenantWaits() {
        String[] keyA = new String[1];
        Api a = keyed("cap-poll-a", keyA);
        Api b = keyOf("cap-poll-b");
        String jobA = a.submit(SPEC);
        String jobB = b.submit(SPEC);
        int before = open.count(OpenRequests.Kind.LONG_POLL);

        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < CAP; i++) {
            held.add(send("/api/jobs/" + jobA + "?waitSeconds=6", keyA[0]));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> open.count(OpenRequests.Kind.LONG_POLL) == before + CAP);

        Api.Response refused = a.get("/api/jobs/" + jobA + "?waitSeconds=6");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isNotBlank();
        assertThat(refused.json().get("detail").asString()).contains("cap-poll-a").contains("dojo.limits.max-long-polls-per-tenant");

        Api.Response other = b.get("/api/jobs/" + jobB + "?waitSeconds=1");
        assertThat(other.status()).as("another tenant's long poll").isEqualTo(200);
        assertThat(other.json().get("status").asString()).isEqualTo("QUEUED");

        held.forEach(h -> assertThat(h.join().statusCode()).isEqualTo(200));
        await().atMost(Duration.ofSeconds(10)).until(() -> open.count(OpenRequests.Kind.LONG_POLL) == before);
        assertThat(a.get("/api/jobs/" + jobA + "?waitSeconds=1").status()).as("places are given back").isEqualTo(200);
    }

    @Test
    void aTenantAtItsEventStreamCapIsRefusedWhileAnotherTenantOpensOne() throws Exception {
        String[] keyA = new String[1];
        Api a = keyed("cap-sse-a", keyA);
        String[] keyB = new String[1];
        keyed("cap-sse-b", keyB);
        String jobA = a.submit(SPEC);
        String jobB = new Api(port).withKey(keyB[0]).submit(SPEC);
        int before = open.count(OpenRequests.Kind.EVENT_STREAM);

        List<HttpResponse<InputStream>> streams = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                HttpResponse<InputStream> s = stream(jobA, keyA[0]);
                assertThat(s.statusCode()).isEqualTo(200);
                streams.add(s);
            }
            assertThat(open.count(OpenRequests.Kind.EVENT_STREAM)).isEqualTo(before + CAP);

            HttpResponse<InputStream> refused = stream(jobA, keyA[0]);
            streams.add(refused);
            String body = new String(refused.body().readAllBytes());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(body).contains("cap-sse-a").contains("dojo.limits.max-event-streams-per-tenant");

            HttpResponse<InputStream> other = stream(jobB, keyB[0]);
            streams.add(other);
            assertThat(other.statusCode()).as("another tenant's stream").isEqualTo(200);
            assertThat(other.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        } finally {
            for (HttpResponse<InputStream> s : streams) {
                s.body().close();
            }
        }
        // A closed stream gives its place back once the server notices (at its next heartbeat, 1 s here).
        await().atMost(Duration.ofSeconds(15)).until(() -> open.count(OpenRequests.Kind.EVENT_STREAM) == before);
        HttpResponse<InputStream> again = stream(jobA, keyA[0]);
        again.body().close();
        assertThat(again.statusCode()).isEqualTo(200);
    }

    private Api keyed(String tenant, String[] key) {
        key[0] = admin.createKey(tenant, "jobs:read", "jobs:write").key();
        return new Api(port).withKey(key[0]);
    }

    private CompletableFuture<HttpResponse<String>> send(String path, String key) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<InputStream> stream(String job, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jobs/" + job + "/events"))
                .header("Authorization", "Bearer " + key).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }
}
