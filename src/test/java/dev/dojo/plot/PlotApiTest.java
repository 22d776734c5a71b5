package dev.dojo.plot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.io.ByteArrayInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The SVG plots, read back as XML: each expected series is there with its points. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "dojo.data-dir=target/test-data/plots-${random.uuid}")
class PlotApiTest {

    @LocalServerPort
    int port;

    @Test
    void aSineJobHasALossPlotAndTheSeedsFitPicture() throws Exception {
        Api api = new Api(port);
        String job = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":200,\"hiddenUnits\":[32]},\"data\":{\"samples\":40}}");
        assertThat(api.await(job, 120).get("status").asString()).isEqualTo("SUCCEEDED");

        Api.Response loss = api.get("/api/jobs/" + job + "/plots/loss.svg");
        assertThat(loss.status()).isEqualTo(200);
        assertThat(loss.contentType()).startsWith("image/svg+xml");
        Document lossSvg = parse(loss.raw().body());
        assertThat(lossSvg.getDocumentElement().getLocalName()).isEqualTo("svg");
        Element train = series(lossSvg, "train_loss");
        assertThat(train.getAttribute("data-points")).isEqualTo("200");
        assertThat(((Element) train.getElementsByTagNameNS("*", "polyline").item(0)).getAttribute("points").trim().split(" ")).hasSize(200);
        assertThat(series(lossSvg, "test_accuracy")).isNull();

        Document fit = parse(api.get("/api/jobs/" + job + "/plots/fit.svg").raw().body());
        assertThat(series(fit, "targets").getElementsByTagNameNS("*", "circle").getLength()).isEqualTo(40);
        for (String line : new String[] {"trained", "untrained"}) {
            assertThat(series(fit, line).getElementsByTagNameNS("*", "polyline").getLength()).as(line).isEqualTo(1);
            assertThat(series(fit, line).getAttribute("data-points")).isEqualTo(String.valueOf(Plots.FIT_POINTS));
        }
        // Training changed the curve: the trained line is not the untrained one.
        assertThat(polyline(fit, "trained")).isNotEqualTo(polyline(fit, "untrained"));
        // The untrained line is the job's own starting point: drawing it twice gives the same curve.
        Document again = parse(api.get("/api/jobs/" + job + "/plots/fit.svg").raw().body());
        assertThat(polyline(again, "untrained")).isEqualTo(polyline(fit, "untrained"));

        assertLegendOutsidePlotArea(fit, 3);
        assertLegendOutsidePlotArea(lossSvg, 1);
    }

    /**
     * Every legend entry's box (its swatch, and its text at 12 px: from a font size above the baseline
     * to 3 px below, at most 7 px a character) lies off the plot area and inside the picture.
     */
    private static void assertLegendOutsidePlotArea(Document svg, int entries) throws Exception {
        Element area = (Element) XPathFactory.newInstance().newXPath()
                .evaluate("//*[local-name()='rect'][@class='plot-area']", svg, XPathConstants.NODE);
        double[] plot = box(area);
        Element root = svg.getDocumentElement();
        double width = Double.parseDouble(root.getAttribute("width"));
        double height = Double.parseDouble(root.getAttribute("height"));
        NodeList legends = (NodeList) XPathFactory.newInstance().newXPath()
                .evaluate("//*[local-name()='g'][@class='legend']", svg, XPathConstants.NODESET);
        assertThat(legends.getLength()).isEqualTo(entries);
        for (int i = 0; i < legends.getLength(); i++) {
            Element g = (Element) legends.item(i);
            Element swatch = (Element) g.getElementsByTagNameNS("*", "rect").item(0);
            Element text = (Element) g.getElementsByTagNameNS("*", "text").item(0);
            double tx = Double.parseDouble(text.getAttribute("x"));
            double ty = Double.parseDouble(text.getAttribute("y"));
            double[] label = {tx, ty - 12, text.getTextContent().length() * 7.0, 15};
            for (double[] b : new double[][] {box(swatch), label}) {
                String what = "legend '" + text.getTextContent() + "' at " + java.util.Arrays.toString(b)
                        + " against the plot area " + java.util.Arrays.toString(plot);
                assertThat(intersects(b, plot)).as(what).isFalse();
                assertThat(b[0] >= 0 && b[1] >= 0 && b[0] + b[2] <= width && b[1] + b[3] <= height).as(what + " inside the picture").isTrue();
            }
        }
    }

    private static double[] box(Element rect) {
        return new double[] {Double.parseDouble(rect.getAttribute("x")), Double.parseDouble(rect.getAttribute("y")),
                Double.parseDouble(rect.getAttribute("width")), Double.parseDouble(rect.getAttribute("height"))};
    }

    private static boolean intersects(double[] a, double[] b) {
        return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
    }

    @Test
    void unknownJobsAre404Problems() {
        Api api = new Api(port);
        for (String plot : new String[] {"loss.svg", "fit.svg"}) {
            Api.Response r = api.get("/api/jobs/nope/plots/" + plot);
            assertThat(r.status()).as(plot).isEqualTo(404);
        }
    }

    private static Document parse(byte[] svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
    }

    private static Element series(Document svg, String key) throws Exception {
        return (Element) XPathFactory.newInstance().newXPath()
                .evaluate("//*[local-name()='g'][@data-series='" + key + "']", svg, XPathConstants.NODE);
    }

    private static String polyline(Document svg, String key) throws Exception {
        return ((Element) series(svg, key).getElementsByTagNameNS("*", "polyline").item(0)).getAttribute("points");
    }
}
