package dev.dojo.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

/**
 * Three sine jobs that differ in loss and hidden layers, compared over real HTTP by two tenants' keys:
 * the series are named by what differs, the chart parses as SVG and names each run, a sweep's trials
 * are found by their label, and bad parameters are 400s naming the parameter.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/compare-${random.uuid}", "dojo.security.bootstrap-key=" + CompareApiTest.BOOTSTRAP})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompareApiTest {

    static final String BOOTSTRAP = "compare-api-test-bootstrap-secret-0123456789";
    static final String SWEEP = "cmp-sweep-1";

    @LocalServerPort
    int port;

    Api teamA;
    Api teamB;
    String mse;
    String l1;
    String twoLayers;

    @BeforeAll
    void threeRuns() {
        Api admin = new Api(port).withKey(BOOTSTRAP);
        teamA = new Api(port).withKey(admin.createKey("team-a", "jobs:read", "jobs:write").key());
        teamB = new Api(port).withKey(admin.createKey("team-b", "jobs:read", "jobs:write").key());
        mse = teamA.submit(sine("mse", "[32]", SWEEP));
        l1 = teamA.submit(sine("l1", "[32]", SWEEP));
        twoLayers = teamA.submit(sine("l1", "[16,16]", null));
        for (String job : List.of(mse, l1, twoLayers)) {
            assertThat(teamA.await(job, 180).get("status").asString()).isEqualTo("SUCCEEDED");
        }
    }

    private static String sine(String loss, String hidden, String sweep) {
        String labels = sweep == null ? "" : ",\"labels\":{\"sweep\":\"" + sweep + "\"}";
        return "{\"task\":\"sine-regression\",\"name\":\"run " + loss + hidden + "\",\"hyperparameters\":{\"epochs\":60,\"loss\":\"" + loss
                + "\",\"hiddenUnits\":" + hidden + "},\"data\":{\"samples\":40}" + labels + "}";
    }

    @Test
    void theSeriesComeSideBySideNamedByWhatDiffers() {
        Api.Response r = teamA.get("/api/compare?jobs=" + mse + "," + l1 + "," + twoLayers + "&metric=train_loss");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("metric").asString()).isEqualTo("train_loss");
        assertThat(texts(body.get("differing"))).containsExactly("hyperparameters.loss", "hyperparameters.hiddenUnits");
        JsonNode series = body.get("series");
        assertThat(series).hasSize(3);
        assertThat(texts(series, "jobId")).containsExactly(mse, l1, twoLayers);
        assertThat(texts(series, "name")).containsExactly("loss=mse, hiddenUnits=[32]", "loss=l1, hiddenUnits=[32]",
                "loss=l1, hiddenUnits=[16,16]");
        for (JsonNode s : series) {
            assertThat(s.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(s.get("points")).hasSize(60);
            assertThat(s.get("points").get(0).get("step").asLong()).isEqualTo(1);
            assertThat(s.get("points").get(59).get("step").asLong()).isEqualTo(60);
        }
        // The points are the job's own metric rows.
        JsonNode rows = teamA.get("/api/jobs/" + l1 + "/metrics?name=train_loss&limit=100").json().get("items");
        assertThat(series.get(1).get("points").get(59).get("value").asDouble()).isEqualTo(rows.get(59).get("value").asDouble());

        // Two runs: only the loss differs. Thinned to at most the points asked for, keeping the last.
        JsonNode two = teamA.get("/api/compare?jobs=" + mse + "," + l1 + "&metric=train_loss&points=10").json();
        assertThat(texts(two.get("series"), "name")).containsExactly("loss=mse", "loss=l1");
        JsonNode thinned = two.get("series").get(0).get("points");
        assertThat(thinned.size()).isBetween(2, 11);
        assertThat(thinned.get(thinned.size() - 1).get("step").asLong()).isEqualTo(60);

        // One run, or a run with itself: nothing differs, so the id names it.
        JsonNode same = teamA.get("/api/compare?jobs=" + mse + "," + mse).json();
        assertThat(texts(same.get("series"), "name")).containsExactly(mse);
    }

    @Test
    void aSweepsTrialsAreTheJobsLabelledWithIt() {
        Api.Response r = teamA.get("/api/compare?sweep=" + SWEEP + "&metric=train_loss");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("sweep").asString()).isEqualTo(SWEEP);
        assertThat(r.json().get("total").asInt()).isEqualTo(2);
        assertThat(texts(r.json().get("series"), "jobId")).containsExactly(mse, l1);
        assertThat(texts(r.json().get("series"), "name")).containsExactly("loss=mse", "loss=l1");
        Api.Response none = teamA.get("/api/compare?sweep=no-such-sweep");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.contentType()).startsWith("application/problem+json");
    }

    @Test
    void theChartParsesAsSvgAndNamesEachRun() throws Exception {
        Api.Response r = teamA.get("/api/compare/plot.svg?jobs=" + mse + "," + l1 + "," + twoLayers + "&metric=train_loss");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("image/svg+xml");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document svg = factory.newDocumentBuilder().parse(new ByteArrayInputStream(r.raw().body()));
        assertThat(svg.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(svg.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        List<String> legend = new ArrayList<>();
        NodeList texts = (NodeList) XPathFactory.newInstance().newXPath()
                .evaluate("//*[local-name()='g'][@class='legend']/*[local-name()='text']", svg, XPathConstants.NODESET);
        for (int i = 0; i < texts.getLength(); i++) {
            legend.add(texts.item(i).getTextContent());
        }
        assertThat(legend).containsExactly("loss=mse, hiddenUnits=[32]", "loss=l1, hiddenUnits=[32]", "loss=l1, hiddenUnits=[16,16]");
        for (String job : List.of(mse, l1, twoLayers)) {
            Element line = (Element) XPathFactory.newInstance().newXPath()
                    .evaluate("//*[local-name()='g'][@data-series='" + job + "']", svg, XPathConstants.NODE);
            assertThat(line).as(job).isNotNull();
            assertThat(line.getAttribute("data-points")).isEqualTo("60");
        }
    }

    @Test
    void badParametersAre400sNamingTheParameter() {
        String both = "/api/compare?jobs=" + mse + "&sweep=" + SWEEP;
        // Both given: the answer names sweep, the one to leave out of a comparison of named jobs; neither: jobs.
        for (String path : List.of(both, both.replace("/api/compare", "/api/compare/plot.svg"))) {
            assertNames(teamA.get(path), "sweep");
        }
        assertNames(teamA.get("/api/compare?metric=train_loss"), "jobs");
        assertNames(teamA.get("/api/compare/plot.svg"), "jobs");
        assertNames(teamA.get("/api/compare?jobs=" + mse + ",,"), "jobs");
        String tooMany = String.join(",", java.util.stream.IntStream.rangeClosed(1, 21).mapToObj(i -> "job" + i).toList());
        assertNames(teamA.get("/api/compare?jobs=" + tooMany), "jobs");
        assertNames(teamA.get("/api/compare?sweep=a%20b"), "sweep");
        assertNames(teamA.get("/api/compare?jobs=" + mse + "&metric=Train-Loss"), "metric");
        // A metric name the task never records: a 400, not an empty chart.
        Api.Response never = teamA.get("/api/compare/plot.svg?jobs=" + mse + "&metric=test_accuracy");
        assertNames(never, "metric");
        assertThat(never.json().get("detail").asString()).contains("train_loss");
        assertNames(teamA.get("/api/compare?jobs=" + mse + "&points=1"), "points");
        assertNames(teamA.get("/api/compare?jobs=" + mse + "&points=2001"), "points");
    }

    @Test
    void anotherTenantsJobsAreNotFound() {
        Api.Response json = teamB.get("/api/compare?jobs=" + mse + "," + l1);
        assertThat(json.status()).as(json.text()).isEqualTo(404);
        assertThat(json.json().get("title").asString()).isEqualTo("Job not found");
        assertThat(json.text()).doesNotContain("train_loss");
        Api.Response svg = teamB.get("/api/compare/plot.svg?jobs=" + mse);
        assertThat(svg.status()).isEqualTo(404);
        assertThat(svg.contentType()).startsWith("application/problem+json");
        assertThat(teamB.get("/api/compare?sweep=" + SWEEP).status()).isEqualTo(404);
        // Its own job beside one it cannot see: still a 404, nothing of the other shown.
        String own = teamB.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":5}}");
        assertThat(teamB.get("/api/compare?jobs=" + own + "," + mse).status()).isEqualTo(404);
        assertThat(teamB.get("/api/compare?jobs=" + own).status()).isEqualTo(200);
    }

    private static void assertNames(Api.Response r, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("errors").get(0).get("field").asString()).as(r.text()).isEqualTo(field);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asString()));
        return out;
    }
}
