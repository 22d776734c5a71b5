package dev.dojo.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The web page in a real (headless) Chromium: submit from the form, watch it train, read a drawn digit. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/web-${random.uuid}",
        "dojo.datasets.mnist-dir=src/test/resources/mnist-subset", "dojo.datasets.verify-checksums=false",
        "dojo.datasets.fashion-mnist-dir=target/test-data/no-fashion-here"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPageTest {

    @LocalServerPort
    int port;

    ChromeDriver driver;
    WebDriverWait wait;

    @BeforeAll
    void openBrowser() throws Exception {
        driver = Browser.start();
        // The job header is re-rendered on every status event, so an element found a moment ago may be gone.
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
    @Order(1)
    void aSineJobFromTheFormTrainsLiveAndShowsItsFit() throws Exception {
        // The page loads and renders its form; how fast is measured by bench/page.sh, not asserted here.
        driver.get(base() + "/");
        WebElement task = wait.until(d -> d.findElement(By.id("task")));
        // Anonymous local mode: no key is asked for.
        assertThat(driver.findElement(By.id("key-dialog")).getAttribute("open")).isNull();
        new Select(task).selectByValue("sine-regression");
        assertThat(driver.findElement(By.id("help-hyperparameters.epochs")).getText()).contains("Default 500");

        // A bad value is answered beside its field.
        WebElement epochs = driver.findElement(By.id("hyperparameters.epochs"));
        epochs.sendKeys("0");
        driver.findElement(By.id("submit")).click();
        wait.until(d -> !d.findElement(By.id("err-hyperparameters.epochs")).getText().isEmpty());
        assertThat(epochs.getAttribute("aria-invalid")).isEqualTo("true");
        Browser.screenshot(driver, "form-validation");

        epochs.clear();
        epochs.sendKeys("3000");
        driver.findElement(By.id("f-name")).sendKeys("browser sine");
        driver.findElement(By.id("submit")).click();
        wait.until(d -> d.getCurrentUrl().contains("#/jobs/"));
        String id = driver.getCurrentUrl().replaceAll(".*#/jobs/", "");

        // The curve grows while the job runs.
        WebElement chart = driver.findElement(By.id("loss-chart"));
        wait.until(d -> points(chart) > 0);
        int first = points(chart);
        wait.until(d -> points(chart) > first);
        wait.until(d -> List.of("RUNNING", "SUCCEEDED").contains(d.findElement(By.id("job-status")).getText()));
        assertThat(chart.findElements(By.tagName("canvas"))).isNotEmpty();

        wait.until(d -> "SUCCEEDED".equals(d.findElement(By.id("job-status")).getText()));
        wait.until(d -> points(chart) == 3000);
        WebElement fit = wait.until(d -> d.findElement(By.id("fit")));
        wait.until(d -> ((Number) driver.executeScript("return arguments[0].complete && arguments[0].naturalWidth", fit)).intValue() > 0);
        Browser.screenshot(driver, "sine-job");
        Axe.assertClean(driver, "a finished sine job's page");

        driver.get(base() + "/#/");
        WebElement row = wait.until(d -> d.findElement(By.cssSelector("tr[data-job='" + id + "']")));
        assertThat(row.getAttribute("data-status")).isEqualTo("SUCCEEDED");
        assertThat(row.getText()).contains("browser sine");
        Browser.screenshot(driver, "job-list");
        driver.manage().window().setSize(new Dimension(390, 844));
        Browser.assertFitsWidth(driver, "the job list at 390 px");
        Browser.screenshot(driver, "job-list-phone");
        driver.manage().window().setSize(new Dimension(1280, 1000));
        assertThat(Browser.cspViolations(driver)).as("Content-Security-Policy violations").isEmpty();
    }

    @Test
    @Order(2)
    void aDigitDrawnOnTheCanvasIsRead() throws Exception {
        Api api = new Api(port);
        String job = api.submit("{\"task\":\"mnist\",\"hyperparameters\":{\"epochs\":2,\"optimizer\":\"adam\",\"learningRate\":0.001,\"batchSize\":32}}");
        assertThat(api.await(job, 600).get("status").asString()).isEqualTo("SUCCEEDED");

        driver.get(base() + "/#/jobs/" + job);
        WebElement pad = wait.until(d -> d.findElement(By.id("pad")));
        // The stream replays every checkpoint; the grid settles on the last one. Read it in one script
        // call, so a refresh between two reads cannot leave the test holding replaced elements.
        JsonNode checkpoints = api.get("/api/jobs/" + job + "/checkpoints").json();
        String last = checkpoints.get(checkpoints.size() - 1).get("number").asString();
        wait.until(d -> last.equals(d.findElement(By.id("test-grid")).getAttribute("data-checkpoint")));
        @SuppressWarnings("unchecked")
        List<List<String>> digits = (List<List<String>>) driver.executeScript(
                "return [...document.querySelectorAll('#test-grid figure')].map(f => [f.dataset.true, f.dataset.predicted]);");
        assertThat(digits).hasSize(24);
        assertThat(digits.stream().filter(f -> f.get(0).equals(f.get(1))).count())
                .as("most test images are read right").isGreaterThan(18);
        wait.until(d -> d.findElements(By.cssSelector("#confusion table tbody tr")).size() == 10);

        // A vertical stroke down the middle: a "1".
        new Actions(driver).moveToElement(pad, 0, -90).clickAndHold()
                .moveByOffset(0, 45).moveByOffset(0, 45).moveByOffset(0, 45).moveByOffset(0, 45).release().perform();
        WebElement label = wait.until(d -> {
            WebElement l = d.findElement(By.id("drawn-label"));
            return l.getAttribute("data-label") != null ? l : null;
        });
        assertThat(label.getAttribute("data-label")).isEqualTo("1");
        List<WebElement> bars = driver.findElements(By.cssSelector("#bars .bar"));
        assertThat(bars).hasSize(10);
        double sum = bars.stream().mapToDouble(b -> Double.parseDouble(b.getAttribute("data-probability"))).sum();
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        Browser.screenshot(driver, "mnist-job");
        Axe.assertClean(driver, "a finished MNIST job's page");
        driver.manage().window().setSize(new Dimension(390, 844));
        Browser.assertFitsWidth(driver, "a finished MNIST job's page at 390 px");
        Browser.screenshot(driver, "mnist-job-phone");
        driver.manage().window().setSize(new Dimension(1280, 1000));
        assertThat(Browser.cspViolations(driver)).as("Content-Security-Policy violations").isEmpty();
    }

    private static int points(WebElement chart) {
        return Integer.parseInt(chart.getAttribute("data-points"));
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
