package dev.dojo.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Labels over real HTTP: shown in the job view's spec, filtered on by {@code ?label=key=value}
 * (repeatable, every one must hold), and refused with a 400 naming the field when they break a rule.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/labels-${random.uuid}", "dojo.roles=api"})
class LabelsTest {

    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(port);
    }

    private String submit(String labelsJson) {
        return api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":5},\"labels\":" + labelsJson + "}");
    }

    private List<String> ids(String query) {
        Api.Response page = api.get("/api/jobs?size=200&" + query);
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        page.json().get("items").forEach(item -> ids.add(item.get("id").asString()));
        assertThat(page.json().get("totalItems").asLong()).isEqualTo(ids.size());
        return ids;
    }

    private static String label(String pair) {
        return "label=" + URLEncoder.encode(pair, StandardCharsets.UTF_8);
    }

    @Test
    void labelsShowInTheViewAndFilterTheList() {
        String sha = UUID.randomUUID().toString().substring(0, 8);
        String main = submit("{\"git.sha\":\"" + sha + "\",\"branch\":\"main\",\"ci.pipeline\":\"nightly\"}");
        String feature = submit("{\"git.sha\":\"" + sha + "\",\"branch\":\"feature/x=y\"}");
        String other = submit("{\"git.sha\":\"other-" + sha + "\",\"branch\":\"main\"}");

        JsonNode view = api.get("/api/jobs/" + main).json();
        assertThat(view.get("spec").get("labels").get("git.sha").asString()).isEqualTo(sha);
        assertThat(view.get("spec").get("labels").get("ci.pipeline").asString()).isEqualTo("nightly");
        assertThat(api.get("/api/jobs/" + other).json().get("spec").get("labels").size()).isEqualTo(2);

        assertThat(ids(label("git.sha=" + sha))).containsExactly(feature, main);
        assertThat(ids(label("git.sha=" + sha) + "&" + label("branch=main"))).containsExactly(main);
        // A value may hold '=': the pair splits at the first one.
        assertThat(ids(label("branch=feature/x=y"))).containsExactly(feature);
        assertThat(ids(label("git.sha=" + sha) + "&" + label("branch=release"))).isEmpty();
        // Two values for one key: no job carries both.
        assertThat(ids(label("branch=main") + "&" + label("branch=feature/x=y"))).isEmpty();
        // With the other filters and paging.
        assertThat(ids(label("git.sha=" + sha) + "&status=QUEUED&task=sine-regression")).containsExactly(feature, main);
        Api.Response firstPage = api.get("/api/jobs?size=1&" + label("git.sha=" + sha));
        assertThat(firstPage.json().get("totalItems").asLong()).isEqualTo(2);
        assertThat(firstPage.json().get("totalPages").asInt()).isEqualTo(2);
        assertThat(firstPage.json().get("items").get(0).get("id").asString()).isEqualTo(feature);
        assertThat(api.get("/api/jobs?size=1&page=1&" + label("git.sha=" + sha)).json().get("items").get(0).get("id").asString())
                .isEqualTo(main);
    }

    @Test
    void aJobWithoutLabelsShowsAnEmptyMap() {
        String id = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":5}}");
        assertThat(api.get("/api/jobs/" + id).json().get("spec").get("labels").isEmpty()).isTrue();
    }

    static Stream<Arguments> badLabels() {
        String many = IntStream.rangeClosed(1, 33).mapToObj(i -> "\"k" + i + "\":\"v\"").collect(Collectors.joining(",", "{", "}"));
        return Stream.of(
                Arguments.of("33 labels", many, "labels"),
                Arguments.of("a key with a space", "{\"git sha\":\"a\"}", "labels"),
                Arguments.of("an empty key", "{\"\":\"a\"}", "labels"),
                Arguments.of("a key ending in a dot", "{\"git.\":\"a\"}", "labels"),
                Arguments.of("a 64-character key", "{\"" + "k".repeat(64) + "\":\"a\"}", "labels"),
                Arguments.of("a 256-character value", "{\"k\":\"" + "v".repeat(256) + "\"}", "labels.k"),
                Arguments.of("a line break in a value", "{\"k\":\"a\\nb\"}", "labels.k"),
                Arguments.of("a null value", "{\"k\":null}", "labels.k"),
                Arguments.of("a number value", "{\"k\":5}", "labels.k"),
                Arguments.of("labels as a list", "[\"k\"]", "labels"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLabels")
    void badLabelsAreA400NamingTheField(String what, String labels, String field) {
        long before = api.get("/api/jobs").json().get("totalItems").asLong();
        Api.Response r = api.post("/api/jobs", "{\"task\":\"sine-regression\",\"labels\":" + labels + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).contains(field);
        assertThat(api.get("/api/jobs").json().get("totalItems").asLong()).isEqualTo(before);
    }

    @Test
    void thirtyTwoLabelsOfTheLongestKindAreAccepted() {
        String labels = IntStream.rangeClosed(1, 32).mapToObj(i -> "\"" + ("k" + i + "_").repeat(40).substring(0, 62) + i % 10
                + "\":\"" + "v".repeat(255) + "\"").collect(Collectors.joining(",", "{", "}"));
        String id = submit(labels);
        assertThat(api.get("/api/jobs/" + id).json().get("spec").get("labels").size()).isEqualTo(32);
    }

    @Test
    void aMalformedFilterIsA400NamingLabel() {
        for (String bad : List.of("label=branch", "label=" + URLEncoder.encode("bad key=x", StandardCharsets.UTF_8),
                IntStream.rangeClosed(1, 33).mapToObj(i -> label("k" + i + "=v")).collect(Collectors.joining("&")))) {
            Api.Response r = api.get("/api/jobs?" + bad);
            assertThat(r.status()).as(bad + ": " + r.text()).isEqualTo(400);
            assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("label");
        }
    }
}
