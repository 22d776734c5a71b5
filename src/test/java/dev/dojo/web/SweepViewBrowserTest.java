package dev.dojo.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The sweep view in a real (headless) Chromium: a grid sweep over the sine task's loss and hidden
 * layers, its trials sorted by the objective, the scatter of a parameter against it, and the trials'
 * curves in one chart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "dojo.data-dir=target/test-data/web-sweep-${random.uuid}")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SweepViewBrowserTest {

    @LocalServerPort
    int port;

    ChromeDriver driver;
    WebDriverWait wait;

    @BeforeAll
    void openBrowser() throws Exception {
        driver = Browser.start();
        // The view polls every 3 s while the sweep runs and rebuilds its table.
        wait = new WebDriverWait(driver, Duration.ofSeconds(300), Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterAll
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void aSweepsTrialsAreSortedByTheObjectiveScatteredAndCompared() throws Exception {
        Api api = new Api(port);
        Api.Response made = api.post("/api/sweeps", """
                {"base": {"task": "sine-regression", "hyperparameters": {"epochs": 40}, "data": {"samples": 40}},
                 "space": {"hyperparameters.loss": {"values": ["mse", "l1"]},
                           "hyperparameters.hiddenUnits": {"values": [[8], [16, 16]]}},
                 "algorithm": "grid", "objective": {"metric": "train_loss", "mode": "min"},
                 "maxTrials": 4, "parallelism": 2}""");
        assertThat(made.status()).as(made.text()).isEqualTo(202);
        String id = made.json().get("id").asString();

        driver.get(base() + "/#/sweeps/" + id);
        // The view stops polling once the sweep has ended; its status says so.
        wait.until(d -> "SUCCEEDED".equals(d.findElement(By.id("sweep-state")).getText()));
        JsonNode sweep = api.get("/api/sweeps/" + id).json();
        assertThat(sweep.get("trials")).hasSize(4);

        // Trials best first: the lowest train_loss on top, the best one marked.
        List<WebElement> rows = driver.findElements(By.cssSelector("#sweep-trials tbody tr"));
        assertThat(rows).hasSize(4);
        double[] objectives = rows.stream().mapToDouble(r -> Double.parseDouble(r.findElements(By.tagName("td")).get(2).getText())).toArray();
        for (int i = 1; i < objectives.length; i++) {
            assertThat(objectives[i]).as("row " + i).isGreaterThanOrEqualTo(objectives[i - 1]);
        }
        assertThat(rows.get(0).getAttribute("class")).contains("best");
        assertThat(rows.get(0).getAttribute("data-trial")).isEqualTo(sweep.get("best").get("number").asString());

        // The scatter: one point per trial with an objective, for the parameter picked.
        Select param = new Select(driver.findElement(By.id("scatter-param")));
        assertThat(param.getOptions().stream().map(WebElement::getText).toList()).contains("loss", "hiddenUnits");
        param.selectByVisibleText("hiddenUnits");
        wait.until(d -> d.findElement(By.id("scatter-svg")).getAttribute("aria-label").contains("hiddenUnits"));
        assertThat(driver.findElements(By.cssSelector("#scatter-svg circle"))).hasSize(4);

        // The trials' curves in one chart, each named by what differs.
        WebElement chart = wait.until(d -> d.findElement(By.id("compare-chart")));
        wait.until(d -> ((Number) driver.executeScript("return arguments[0].complete && arguments[0].naturalWidth", chart)).intValue() > 0);
        assertThat(chart.getAttribute("alt")).contains("loss=mse, hiddenUnits=[8]").contains("loss=l1, hiddenUnits=[16,16]");
        assertThat(driver.findElements(By.cssSelector("#compare-runs tbody tr"))).hasSize(4);

        Browser.screenshot(driver, "sweep-view");
        Axe.assertClean(driver, "the sweep view");
        assertThat(Browser.cspViolations(driver)).as("Content-Security-Policy violations").isEmpty();
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
