package dev.dojo.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The compare view in a real (headless) Chromium: tick two jobs in the list, press Compare, see one chart naming both. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "dojo.data-dir=target/test-data/web-compare-${random.uuid}")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompareViewBrowserTest {

    @LocalServerPort
    int port;

    ChromeDriver driver;
    WebDriverWait wait;

    @BeforeAll
    void openBrowser() throws Exception {
        driver = Browser.start();
        // The list is rebuilt in place every 2 s, so an element found a moment ago may be gone.
        wait = new WebDriverWait(driver, Duration.ofSeconds(180), Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterAll
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void twoTickedJobsAreDrawnInOneChartNamedByWhatDiffers() throws Exception {
        Api api = new Api(port);
        String mse = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":40,\"loss\":\"mse\",\"hiddenUnits\":[16]}}");
        String l1 = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":40,\"loss\":\"l1\",\"hiddenUnits\":[16]}}");
        String third = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":5,\"hiddenUnits\":[8]}}");
        for (String job : List.of(mse, l1, third)) {
            assertThat(api.await(job, 120).get("status").asString()).isEqualTo("SUCCEEDED");
        }

        driver.get(base() + "/");
        WebElement compare = wait.until(d -> d.findElement(By.id("compare")));
        wait.until(d -> d.findElements(By.cssSelector("tr[data-job='" + l1 + "'] input.pick")).size() == 1);
        assertThat(compare.isEnabled()).as("nothing ticked yet").isFalse();
        box(mse).click();
        assertThat(compare.isEnabled()).as("one ticked: nothing to compare it with").isFalse();
        box(l1).click();
        wait.until(d -> d.findElement(By.id("compare")).isEnabled());
        // A poll of the list keeps what was ticked.
        Thread.sleep(2500);
        assertThat(box(mse).isSelected()).isTrue();
        assertThat(box(third).isSelected()).isFalse();
        assertThat(box(l1).getAttribute("aria-label")).startsWith("compare sine-regression");
        driver.findElement(By.id("compare")).click();

        wait.until(d -> d.getCurrentUrl().contains("#/compare?jobs="));
        assertThat(driver.getCurrentUrl()).contains(mse).contains(l1).doesNotContain(third);
        WebElement chart = wait.until(d -> d.findElement(By.id("compare-chart")));
        wait.until(d -> ((Number) driver.executeScript("return arguments[0].complete && arguments[0].naturalWidth", chart)).intValue() > 0);
        assertThat(chart.getAttribute("alt")).contains("loss=mse").contains("loss=l1");
        List<String> rows = driver.findElements(By.cssSelector("#compare-runs tbody tr")).stream().map(WebElement::getText).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).startsWith("loss=mse").contains("SUCCEEDED").endsWith("40");
        assertThat(rows.get(1)).startsWith("loss=l1");
        assertThat(new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("compare-metric"))).getFirstSelectedOption().getText())
                .isEqualTo("train_loss");

        // The picture itself (fetched as a data: URL) is the SVG chart, its legend naming both runs.
        String src = chart.getAttribute("src");
        assertThat(src).startsWith("data:image/svg+xml;base64,");
        byte[] svg = Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1));
        assertThat(legend(svg)).containsExactly("loss=mse", "loss=l1");

        Browser.screenshot(driver, "compare-view");
        Axe.assertClean(driver, "the compare view");
        driver.manage().window().setSize(new Dimension(390, 844));
        Browser.assertFitsWidth(driver, "the compare view at 390 px");
        driver.manage().window().setSize(new Dimension(1280, 1000));

        // A run's name links to its job.
        driver.findElement(By.linkText("loss=l1")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("#/jobs/" + l1));
        assertThat(Browser.cspViolations(driver)).as("Content-Security-Policy violations").isEmpty();
    }

    private WebElement box(String job) {
        return driver.findElement(By.cssSelector("tr[data-job='" + job + "'] input.pick"));
    }

    private static List<String> legend(byte[] svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
        NodeList texts = (NodeList) XPathFactory.newInstance().newXPath()
                .evaluate("//*[local-name()='g'][@class='legend']/*[local-name()='text']", doc, XPathConstants.NODESET);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) {
            out.add(texts.item(i).getTextContent());
        }
        return out;
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
