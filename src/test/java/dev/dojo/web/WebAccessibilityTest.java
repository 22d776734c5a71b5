package dev.dojo.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The page with a keyboard and an audit, in a real (headless) Chromium: Tab reaches every control with a
 * visible focus ring, live updates do not take focus away, axe-core finds no contrast or serious problem,
 * the page fits a phone's width, and a classifier can be tried from its first checkpoint, while it trains.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/web-${random.uuid}",
        "dojo.datasets.mnist-dir=src/test/resources/mnist-subset", "dojo.datasets.verify-checksums=false",
        "dojo.datasets.fashion-mnist-dir=target/test-data/no-fashion-here"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAccessibilityTest {

    /** Marks every visible control a keyboard user should reach (inside arguments[0], or anywhere), and returns their keys. */
    private static final String MARK = """
            const root = arguments[0] ? document.querySelector(arguments[0]) : document;
            const controls = [...root.querySelectorAll('a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), '
                + 'textarea:not(:disabled), [tabindex]:not([tabindex="-1"])')]
              .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden');
            controls.forEach((e, i) => { e.dataset.tabKey = i + ' ' + (e.id || e.tagName.toLowerCase() + ' ' + e.textContent.trim().slice(0, 30)); });
            return controls.map(e => e.dataset.tabKey);
            """;

    /** The focused element, whether it matches :focus-visible, its ring and the ring's contrast with what is behind it. */
    private static final String FOCUSED = """
            const e = document.activeElement;
            if (!e || e === document.body || e === document.documentElement) return null;
            const lum = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
              .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
            const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
            let behind = 'rgb(255, 255, 255)';
            for (let b = e.parentElement; b; b = b.parentElement) {
              const c = getComputedStyle(b).backgroundColor;
              if (c !== 'transparent' && !/^rgba\\(.*,\\s*0\\)$/.test(c)) { behind = c; break; }
            }
            const s = getComputedStyle(e);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            return { key: e.dataset.tabKey || ('unmarked ' + e.tagName + '#' + e.id), focusVisible: e.matches(':focus-visible'),
                     ring: outline ? s.outlineColor + ' ' + s.outlineWidth : s.boxShadow,
                     contrast: outline ? ratio(s.outlineColor, behind) : (s.boxShadow !== 'none' ? 99 : 0) };
            """;

    @LocalServerPort
    int port;

    ChromeDriver driver;
    WebDriverWait wait;
    Api api;
    final List<String> jobs = new ArrayList<>();

    @BeforeAll
    void openBrowser() throws Exception {
        api = new Api(port);
        driver = Browser.start();
        wait = new WebDriverWait(driver, Duration.ofSeconds(180), Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterAll
    void closeBrowser() {
        jobs.forEach(id -> api.post("/api/jobs/" + id + "/cancel", null));
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    @Order(1)
    void theJobListAndFormWorkFromTheKeyboardAndPassTheAudit() throws Exception {
        String job = submit("{\"task\":\"sine-regression\",\"name\":\"keyboard sine\",\"hyperparameters\":{\"epochs\":20,\"hiddenUnits\":[8]}}");
        assertThat(api.await(job, 120).get("status").asString()).isEqualTo("SUCCEEDED");

        driver.get(base() + "/");
        wait.until(d -> d.findElement(By.id("hyperparameters.epochs")));
        wait.until(d -> d.findElement(By.cssSelector("tr[data-job='" + job + "'] a")));
        Set<String> reached = tabThrough("the job list");
        assertThat(reached).as("Tab reaches the task, the name, every hyperparameter, Train and the job's link")
                .anyMatch(k -> k.endsWith(" task")).anyMatch(k -> k.endsWith(" f-name")).anyMatch(k -> k.endsWith(" submit"))
                .anyMatch(k -> k.endsWith(" hyperparameters.epochs")).anyMatch(k -> k.endsWith(" hyperparameters.hiddenUnits"))
                .anyMatch(k -> k.contains("keyboard sine"));

        // The list refreshes every 2 s; a focused job link keeps its focus through the refresh.
        WebElement link = driver.findElement(By.cssSelector("tr[data-job='" + job + "'] a"));
        driver.executeScript("arguments[0].focus()", link);
        Thread.sleep(4500);
        assertThat(driver.executeScript("return document.activeElement.closest('tr')?.dataset.job")).isEqualTo(job);

        // The form's error state is audited too: a bad value answered beside its field.
        driver.findElement(By.id("hyperparameters.epochs")).sendKeys("0", Keys.ENTER);
        wait.until(d -> !d.findElement(By.id("err-hyperparameters.epochs")).getText().isEmpty());
        Axe.assertClean(driver, "the job list with a form error");

        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            Browser.assertFitsWidth(driver, "the job list at 390 px");
            Axe.assertClean(driver, "the job list at 390 px");
            Browser.screenshot(driver, "a11y-job-list-phone");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    @Test
    @Order(2)
    void aTrainingClassifierCanBeTriedFromItsFirstCheckpointAndItsPageWorksFromTheKeyboard() throws Exception {
        // Long enough to be still running while the page is used; cancelled from the keyboard at the end.
        String job = submit("{\"task\":\"mnist\",\"name\":\"keyboard digits\",\"hyperparameters\":{\"epochs\":100,"
                + "\"optimizer\":\"adam\",\"learningRate\":0.001,\"batchSize\":32,\"trainLimit\":1000}}");
        driver.get(base() + "/#/jobs/" + job);
        WebElement pad = wait.until(d -> d.findElement(By.id("pad")));
        WebElement note = wait.until(d -> d.findElement(By.cssSelector("#checkpoint-note[data-checkpoint]")));
        assertThat(driver.findElement(By.id("job-status")).getText()).as("the pad is offered while the job trains").isEqualTo("RUNNING");
        assertThat(note.getText()).startsWith("Predictions use the job's latest checkpoint: number ");

        new Actions(driver).moveToElement(pad, 0, -90).clickAndHold()
                .moveByOffset(0, 60).moveByOffset(0, 60).moveByOffset(0, 60).release().perform();
        WebElement label = wait.until(d -> {
            WebElement l = d.findElement(By.id("drawn-label"));
            return l.getAttribute("data-label") != null ? l : null;
        });
        assertThat(Integer.parseInt(label.getAttribute("data-checkpoint"))).isPositive();
        assertThat(driver.findElement(By.id("drawn-checkpoint")).getText()).startsWith("read with checkpoint ");
        double sum = driver.findElements(By.cssSelector("#bars .bar")).stream()
                .mapToDouble(b -> Double.parseDouble(b.getAttribute("data-probability"))).sum();
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        wait.until(d -> d.findElements(By.cssSelector("#test-grid figure")).size() == 24);
        Browser.screenshot(driver, "a11y-mnist-running");

        Set<String> reached = tabThrough("a running classifier's page");
        for (String id : List.of("cancel", "predict", "clear")) {
            assertThat(reached).as("Tab reaches #" + id).anyMatch(k -> k.endsWith(" " + id));
        }
        for (String link : List.of("Checkpoints", "Model summary", "Job JSON", "Loss plot (SVG)", "API docs", "Jobs", "Dojo")) {
            assertThat(reached).as("Tab reaches the link " + link).anyMatch(k -> k.endsWith(" a " + link));
        }
        Axe.assertClean(driver, "a running classifier's page");

        // Status events (one an epoch) update the header in place: Cancel keeps its focus through them.
        WebElement cancel = driver.findElement(By.id("cancel"));
        driver.executeScript("arguments[0].focus()", cancel);
        String epoch = driver.findElement(By.cssSelector("#app progress + p")).getText();
        wait.until(d -> !d.findElement(By.cssSelector("#app progress + p")).getText().equals(epoch));
        assertThat(driver.executeScript("return document.activeElement.id")).isEqualTo("cancel");

        // The pad's buttons and Cancel work from the keyboard.
        driver.findElement(By.id("clear")).sendKeys(Keys.ENTER);
        wait.until(d -> "–".equals(d.findElement(By.id("drawn-label")).getText()));
        driver.findElement(By.id("cancel")).sendKeys(Keys.ENTER);
        wait.until(d -> "CANCELLED".equals(d.findElement(By.id("job-status")).getText()));
        wait.until(d -> !d.findElement(By.id("confusion")).getText().startsWith("Shown when"));

        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            Browser.assertFitsWidth(driver, "a classifier's page at 390 px");
            Browser.screenshot(driver, "a11y-mnist-phone");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    @Test
    @Order(3)
    void theKeyDialogWorksFromTheKeyboardAndPassesTheAudit() throws Exception {
        // Anonymous local mode never asks for a key.
        driver.get(base() + "/");
        wait.until(d -> d.findElement(By.id("hyperparameters.epochs")));
        assertThat(driver.findElement(By.id("key-dialog")).getAttribute("open")).as("no dialog in anonymous local mode").isNull();
        assertThat(driver.findElement(By.id("key-bar")).isDisplayed()).isFalse();

        // A key the service does not know (left in the tab from before, say) is answered 401 even here, which
        // opens the dialog without making a key: this context stays in anonymous mode for the other web tests.
        driver.executeScript("sessionStorage.setItem('dojo.apiKey', arguments[0])", "dojo_AAAAAAAAAAAA_" + "B".repeat(43));
        driver.navigate().refresh();
        wait.until(d -> d.findElement(By.id("key-dialog")).getAttribute("open") != null);
        wait.until(d -> d.findElement(By.id("key-error")).getText().startsWith("The service refused that key"));
        assertThat(driver.executeScript("return document.activeElement.id")).as("the dialog takes focus").isEqualTo("api-key");
        assertThat(driver.executeScript("return sessionStorage.getItem('dojo.apiKey')")).as("a refused key is dropped").isNull();
        Browser.screenshot(driver, "a11y-key-dialog");
        Axe.assertClean(driver, "the key dialog with a refused key");
        Set<String> inDialog = tabThrough("the key dialog", "dialog[open]");
        assertThat(inDialog).as("Tab stays in the modal dialog: the key, Use key, Cancel")
                .containsExactlyInAnyOrderElementsOf(List.of("0 api-key", "1 key-submit", "2 key-cancel"));

        // Sent empty: said beside the field, and the field is marked.
        WebElement field = driver.findElement(By.id("api-key"));
        field.sendKeys(Keys.ENTER);
        wait.until(d -> "Paste a key first.".equals(d.findElement(By.id("key-error")).getText()));
        assertThat(field.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(field.getAttribute("aria-describedby")).contains("key-error");

        // Escape closes it; the header then offers it again, and that control works from the keyboard too.
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
        wait.until(d -> d.findElement(By.id("key-dialog")).getAttribute("open") == null);
        wait.until(d -> d.findElement(By.id("enter-key")).isDisplayed());
        assertThat(tabThrough("the job list with Enter API key")).anyMatch(k -> k.endsWith(" enter-key"));
        driver.findElement(By.id("enter-key")).sendKeys(Keys.ENTER);
        wait.until(d -> d.findElement(By.id("key-dialog")).getAttribute("open") != null);
        assertThat(driver.executeScript("return document.activeElement.id")).isEqualTo("api-key");
        new Actions(driver).sendKeys(Keys.TAB, Keys.TAB).perform();
        assertThat(driver.executeScript("return document.activeElement.id")).isEqualTo("key-cancel");
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        wait.until(d -> d.findElement(By.id("key-dialog")).getAttribute("open") == null);

        // A new session of the tab: the page as it always was.
        driver.executeScript("sessionStorage.clear()");
        driver.navigate().refresh();
        wait.until(d -> d.findElement(By.id("hyperparameters.epochs")));
        assertThat(driver.findElement(By.id("key-dialog")).getAttribute("open")).isNull();
        assertThat(driver.findElement(By.id("key-bar")).isDisplayed()).isFalse();
        assertThat(Browser.cspViolations(driver)).as("Content-Security-Policy violations").isEmpty();
    }

    /**
     * Presses Tab from the top of the page until focus comes round again; fails unless every visible control
     * was reached and each showed a :focus-visible ring of at least 3:1 against what is behind it.
     */
    private Set<String> tabThrough(String where) {
        return tabThrough(where, null);
    }

    /** The same, for the controls inside {@code root} (a CSS selector), such as an open modal dialog. */
    @SuppressWarnings("unchecked")
    private Set<String> tabThrough(String where, String root) {
        List<String> controls = (List<String>) driver.executeScript(MARK, root);
        driver.executeScript("document.activeElement?.blur(); window.scrollTo(0, 0)");
        Set<String> reached = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        String first = null;
        for (int i = 0; i < controls.size() + 10; i++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            Map<String, Object> f = (Map<String, Object>) driver.executeScript(FOCUSED);
            if (f == null) {
                continue;
            }
            String key = (String) f.get("key");
            if (key.equals(first)) {
                break;
            }
            first = first == null ? key : first;
            reached.add(key);
            if (!Boolean.TRUE.equals(f.get("focusVisible")) || ((Number) f.get("contrast")).doubleValue() < 3) {
                problems.add(key + ": focus-visible " + f.get("focusVisible") + ", ring " + f.get("ring") + ", contrast " + f.get("contrast"));
            }
        }
        assertThat(reached).as("Tab on " + where + " reaches every control").containsAll(controls);
        assertThat(problems).as("focus rings on " + where).isEmpty();
        return reached;
    }

    private String submit(String spec) {
        String id = api.submit(spec);
        jobs.add(id);
        return id;
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
