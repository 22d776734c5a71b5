package dev.dojo.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.support.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The web page against a service that needs keys, in a real (headless) Chromium over real HTTP with a
 * real worker: the page asks for a key, keeps it for the tab's session, and with it the list, a job's
 * live event stream (resumed with Last-Event-ID each time the server ends it) and the drawing pad all
 * work; a key without a scope is told which one; Forget key brings the dialog back. Every request URL
 * the browser made is checked for the key, and the console for Content-Security-Policy violations.
 *
 * <p>The context is its own (node id {@code web-keys}): it leaves anonymous local mode for good when
 * the first key is made, so it must not be shared with the anonymous web tests. Event streams end
 * after 1.5 s here, so a job page reconnects several times while its job trains.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/web-keys-${random.uuid}", "dojo.node-id=web-keys",
        "dojo.events.max-duration=1500ms",
        "dojo.datasets.mnist-dir=src/test/resources/mnist-subset", "dojo.datasets.verify-checksums=false",
        "dojo.datasets.fashion-mnist-dir=target/test-data/no-fashion-here"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebKeysTest {

    /** More steps than one 1.5 s stream can carry even on a fast machine, so the page must resume. */
    private static final int SINE_STEPS = 10000;

    @LocalServerPort
    int port;

    Api anonymous;
    Api admin;
    Api team;
    String teamKey;
    String readOnlyKey;
    final String unknownKey = "dojo_AAAAAAAAAAAA_" + "B".repeat(43);
    String sineJob;

    ChromeDriver driver;
    WebDriverWait wait;
    NetworkLog network;
    final List<String> cspViolations = new ArrayList<>();

    @BeforeAll
    void keysAndBrowser() throws Exception {
        anonymous = new Api(port);
        // The first key is made anonymously (anonymous local mode); from then on every API call needs one.
        admin = anonymous.withKey(create(anonymous, "admin", "\"admin\""));
        teamKey = create(admin, "team-web", "\"jobs:read\",\"jobs:write\",\"predict\"");
        readOnlyKey = create(admin, "team-web", "\"jobs:read\"");
        team = anonymous.withKey(teamKey);
        assertThat(anonymous.get("/api/jobs").status()).isEqualTo(401);

        driver = Browser.start(true);
        network = new NetworkLog(driver);
        wait = new WebDriverWait(driver, Duration.ofSeconds(180), Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterAll
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    private static String create(Api as, String tenant, String scopes) {
        Api.Response r = as.post("/api/keys", "{\"tenant\":\"" + tenant + "\",\"scopes\":[" + scopes + "],\"name\":\"web test\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().get("key").asString();
    }

    @Test
    @Order(1)
    void thePageAndItsScriptsAreServedWithAPolicyThatForbidsInlineScriptAndFraming() {
        Api.Response page = anonymous.get("/");
        assertThat(page.status()).isEqualTo(200);
        String csp = page.header("Content-Security-Policy");
        assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:", "*");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        // With nosniff a module script must come as JavaScript, or the browser refuses to run it.
        for (String script : List.of("/app.js", "/api.js", "/key.js", "/events.js", "/job.js", "/list.js", "/mnist.js")) {
            Api.Response js = anonymous.get(script);
            assertThat(js.status()).as(script).isEqualTo(200);
            assertThat(js.contentType()).as(script).startsWith("text/javascript");
            assertThat(js.header("X-Content-Type-Options")).as(script).isEqualTo("nosniff");
        }
        // Swagger UI's page keeps the same script and framing rules (what differs is in docs/web.md).
        Api.Response swagger = anonymous.get("/swagger-ui/index.html");
        assertThat(swagger.status()).isEqualTo(200);
        assertThat(swagger.header("Content-Security-Policy")).contains("script-src 'self';", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
    }

    @Test
    @Order(2)
    void thePageAsksForAKeyAndWithItTheListAndALiveJobWork() throws Exception {
        String listed = team.submit("{\"task\":\"sine-regression\",\"name\":\"listed with a key\",\"hyperparameters\":{\"epochs\":20}}");
        assertThat(team.await(listed, 120).get("status").asString()).isEqualTo("SUCCEEDED");

        driver.get(base() + "/");
        wait.until(d -> d.findElement(By.id("key-dialog")).getAttribute("open") != null);
        assertThat(driver.executeScript("return document.activeElement.id")).as("the dialog takes focus").isEqualTo("api-key");
        assertThat(driver.findElement(By.id("list-status")).getText()).isEmpty();
        Browser.screenshot(driver, "key-dialog");
        // Typed and sent from the keyboard.
        new Actions(driver).sendKeys(teamKey).sendKeys(Keys.ENTER).perform();
        wait.until(d -> d.findElement(By.id("key-dialog")).getAttribute("open") == null);
        WebElement row = wait.until(d -> d.findElement(By.cssSelector("tr[data-job='" + listed + "']")));
        assertThat(row.getText()).contains("listed with a key");
        String keyId = teamKey.split("_")[1];
        assertThat(driver.findElement(By.id("key-name")).getText()).isEqualTo("Key " + keyId);
        assertThat(driver.findElement(By.id("forget-key")).isDisplayed()).isTrue();
        // The tab's session storage holds it; nothing that outlives the tab or travels by itself does.
        assertThat(driver.executeScript("return sessionStorage.getItem('dojo.apiKey')")).isEqualTo(teamKey);
        assertThat(driver.executeScript("return localStorage.length + document.cookie.length")).isEqualTo(0L);

        // A job from the form; its page streams it live.
        new Select(wait.until(d -> d.findElement(By.id("task")))).selectByValue("sine-regression");
        driver.findElement(By.id("hyperparameters.epochs")).sendKeys(String.valueOf(SINE_STEPS));
        driver.findElement(By.id("f-name")).sendKeys("keyed sine");
        driver.findElement(By.id("submit")).click();
        wait.until(d -> d.getCurrentUrl().contains("#/jobs/"));
        sineJob = driver.getCurrentUrl().replaceAll(".*#/jobs/", "");
        WebElement chart = driver.findElement(By.id("loss-chart"));
        wait.until(d -> points(chart) > 0);
        int first = points(chart);
        wait.until(d -> points(chart) > first);
        wait.until(d -> "SUCCEEDED".equals(d.findElement(By.id("job-status")).getText()));
        // Resumed streams lose nothing and repeat nothing: one point per step.
        wait.until(d -> points(chart) >= SINE_STEPS);
        assertThat(points(chart)).isEqualTo(SINE_STEPS);
        WebElement fit = wait.until(d -> d.findElement(By.id("fit")));
        wait.until(d -> ((Number) driver.executeScript("return arguments[0].complete && arguments[0].naturalWidth", fit)).intValue() > 0);
        assertThat(fit.getAttribute("src")).startsWith("data:image/svg+xml");
        assertThat(driver.findElement(By.id("job-error")).getText()).isEmpty();

        List<NetworkLog.Request> streams = network.requests().stream()
                .filter(r -> r.url().endsWith("/api/jobs/" + sineJob + "/events")).toList();
        assertThat(streams).as("the stream ended every 1.5 s and was opened again").hasSizeGreaterThan(1);
        assertThat(streams).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer " + teamKey));
        assertThat(streams.subList(1, streams.size())).as("each reconnect says where it left off")
                .allSatisfy(r -> assertThat(r.header("Last-Event-ID")).matches("\\d+-\\d+-\\d+-[A-Z]+-\\d+"));

        // A link to the API, which a navigation could not send the key with, opens what it fetched with the key.
        String page = driver.getWindowHandle();
        driver.findElement(By.linkText("Job JSON")).click();
        wait.until(d -> d.getWindowHandles().size() == 2);
        String tab = driver.getWindowHandles().stream().filter(h -> !h.equals(page)).findFirst().orElseThrow();
        driver.switchTo().window(tab);
        try {
            assertThat(driver.getCurrentUrl()).startsWith("blob:");
            wait.until(d -> d.findElement(By.tagName("body")).getText().contains("\"id\":\"" + sineJob + "\""));
        } finally {
            driver.close();
            driver.switchTo().window(page);
        }
        collectCspViolations();
    }

    @Test
    @Order(3)
    void theDrawingPadReadsADigitWithTheKey() {
        String job = team.submit("{\"task\":\"mnist\",\"hyperparameters\":{\"epochs\":2,\"optimizer\":\"adam\",\"learningRate\":0.001,\"batchSize\":32}}");
        assertThat(team.await(job, 600).get("status").asString()).isEqualTo("SUCCEEDED");

        driver.get(base() + "/#/jobs/" + job);
        WebElement pad = wait.until(d -> d.findElement(By.id("pad")));
        wait.until(d -> d.findElements(By.cssSelector("#test-grid figure")).size() == 24);
        wait.until(d -> d.findElements(By.cssSelector("#confusion table tbody tr")).size() == 10);
        new Actions(driver).moveToElement(pad, 0, -90).clickAndHold()
                .moveByOffset(0, 45).moveByOffset(0, 45).moveByOffset(0, 45).moveByOffset(0, 45).release().perform();
        WebElement label = wait.until(d -> {
            WebElement l = d.findElement(By.id("drawn-label"));
            return l.getAttribute("data-label") != null ? l : null;
        });
        assertThat(label.getAttribute("data-label")).isEqualTo("1");
        double sum = driver.findElements(By.cssSelector("#bars .bar")).stream()
                .mapToDouble(b -> Double.parseDouble(b.getAttribute("data-probability"))).sum();
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(network.requests()).as("the pad's prediction went with the key")
                .anyMatch(r -> r.url().endsWith("/api/jobs/" + job + "/predictions") && r.method().equals("POST")
                        && ("Bearer " + teamKey).equals(r.header("Authorization")));

        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            Browser.assertFitsWidth(driver, "a job page with the key bar at 390 px");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 1000));
        }
        collectCspViolations();
    }

    @Test
    @Order(4)
    void forgetKeyBringsTheDialogBackAndAKeyWithoutAScopeIsToldWhichOne() {
        driver.get(base() + "/#/");
        wait.until(d -> d.findElement(By.id("forget-key"))).click();
        wait.until(d -> d.findElement(By.id("key-dialog")).getAttribute("open") != null);
        assertThat(driver.executeScript("return sessionStorage.getItem('dojo.apiKey')")).isNull();

        // A key the service does not know is refused, and the dialog says so.
        new Actions(driver).sendKeys(unknownKey).sendKeys(Keys.ENTER).perform();
        wait.until(d -> d.findElement(By.id("key-error")).getText().startsWith("The service refused that key"));
        assertThat(driver.findElement(By.id("key-dialog")).getAttribute("open")).isNotNull();
        assertThat(driver.findElement(By.id("api-key")).getAttribute("aria-invalid")).isEqualTo("true");

        // Closed without a key: the page says what it needs and offers the dialog again.
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
        wait.until(d -> d.findElement(By.id("key-dialog")).getAttribute("open") == null);
        wait.until(d -> d.findElement(By.id("list-status")).getText().contains("needs an API key"));
        WebElement enter = driver.findElement(By.id("enter-key"));
        assertThat(enter.isDisplayed()).isTrue();
        enter.sendKeys(Keys.ENTER);
        wait.until(d -> d.findElement(By.id("key-dialog")).getAttribute("open") != null);

        // A key with jobs:read only: the list works, a submit is refused naming jobs:write.
        new Actions(driver).sendKeys(readOnlyKey).sendKeys(Keys.ENTER).perform();
        wait.until(d -> d.findElement(By.cssSelector("tr[data-job='" + sineJob + "']")));
        assertThat(driver.findElement(By.id("list-status")).getText()).isEmpty();
        wait.until(d -> d.findElement(By.id("submit"))).click();
        wait.until(d -> d.findElement(By.id("form-status")).getText().contains("jobs:write"));
        assertThat(driver.findElement(By.id("form-status")).getText()).contains("lacks the jobs:write scope");
        collectCspViolations();
    }

    @Test
    @Order(5)
    @SuppressWarnings("unchecked")
    void theEventStreamReaderParsesByTheStandardsRules() {
        // The page's own parser, fed chunks that split lines and line ends where a network may.
        Map<String, Object> out = (Map<String, Object>) driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/events.js').then(({ EventParser }) => {
                  const events = [], comments = [], retries = [];
                  const p = new EventParser(e => events.push(e), 'start');
                  p.onComment = c => comments.push(c);
                  p.onRetry = r => retries.push(r);
                  ['data: a\\r', '\\ndata:  b\\r\\n\\r', '\\n: heartbeat\\n', 'event: metric\\nid: 7-1\\ndata:{"x":1}\\n\\n',
                   'id: bad\\u0000id\\ndata: kept id\\n\\n', 'retry: 2500\\nretry: 2.5\\n', 'event: lone\\n\\n',
                   'data: c\\rdata: d\\r\\r', 'data\\n\\n', 'id\\ndata: e\\n\\n', 'data: cut off'].forEach(c => p.push(c));
                  done({ events: events.map(e => [e.type, e.data, e.lastEventId]), comments, retries });
                }, e => done({ error: String(e) }));
                """);
        assertThat(out.get("error")).isNull();
        assertThat((List<List<String>>) out.get("events")).containsExactly(
                List.of("message", "a\n b", "start"),
                List.of("metric", "{\"x\":1}", "7-1"),
                List.of("message", "kept id", "7-1"),
                List.of("message", "c\nd", "7-1"),
                List.of("message", "", "7-1"),
                List.of("message", "e", ""));
        assertThat((List<String>) out.get("comments")).containsExactly("heartbeat");
        assertThat((List<Long>) out.get("retries")).containsExactly(2500L);
    }

    @Test
    @Order(6)
    void swaggerUiWorksUnderItsPolicy() {
        driver.get(base() + "/swagger-ui.html");
        wait.until(d -> d.getCurrentUrl().contains("/swagger-ui/index.html"));
        wait.until(d -> !d.findElements(By.cssSelector(".swagger-ui .info .title")).isEmpty());
        List<WebElement> operations = wait.until(d -> {
            List<WebElement> ops = d.findElements(By.cssSelector(".opblock-summary"));
            return ops.isEmpty() ? null : ops;
        });
        operations.get(0).click();
        wait.until(d -> !d.findElements(By.cssSelector(".opblock.is-open .opblock-body")).isEmpty());
        collectCspViolations();
    }

    @Test
    @Order(7)
    void swaggerUisAuthorizeTakesABearerKeyThatGoesInTheHeader() {
        Api.Response document = anonymous.get("/v3/api-docs");
        assertThat(document.json().path("components").path("securitySchemes").size()).as("the document's bearer scheme").isPositive();
        driver.get(base() + "/swagger-ui/index.html");
        wait.until(d -> d.findElement(By.cssSelector(".auth-wrapper .btn.authorize"))).click();
        WebElement value = wait.until(d -> d.findElement(By.cssSelector(".modal-ux .auth-container input")));
        value.sendKeys(teamKey);
        driver.findElement(By.cssSelector(".modal-ux .auth-btn-wrapper .btn.authorize")).click();
        wait.until(d -> d.findElement(By.cssSelector(".modal-ux .auth-btn-wrapper .btn-done"))).click();
        WebElement list = driver.findElement(By.cssSelector(".opblock-get .opblock-summary-path[data-path='/api/jobs']"));
        list.click();
        WebElement block = list.findElement(By.xpath("ancestor::div[contains(@class, 'opblock ')]"));
        wait.until(d -> block.findElement(By.cssSelector(".try-out__btn"))).click();
        int before = network.requests().size();
        wait.until(d -> block.findElement(By.cssSelector(".btn.execute"))).click();
        // 200, not the 401 a call without a key gets.
        wait.until(d -> block.findElements(By.cssSelector(".live-responses-table .response-col_status")).stream()
                .anyMatch(e -> e.getText().trim().startsWith("200")));
        List<NetworkLog.Request> sent = network.requests();
        assertThat(sent.subList(before, sent.size())).as("Swagger UI's call sent the key in the header")
                .anyMatch(r -> r.url().matches(".*/api/jobs(\\?.*)?") && ("Bearer " + teamKey).equals(r.header("Authorization")));
        collectCspViolations();
    }

    @Test
    @Order(8)
    void noRequestUrlCarriedAKeyAndThePageBrokeNoPolicy() {
        List<NetworkLog.Request> requests = network.requests();
        assertThat(requests).as("the browser's requests were seen").hasSizeGreaterThan(20)
                .anyMatch(r -> r.url().contains("/api/jobs?"));
        for (String key : List.of(teamKey, readOnlyKey, unknownKey)) {
            String secret = key.substring(key.lastIndexOf('_') + 1);
            assertThat(requests).as("no request URL holds a key or its secret")
                    .noneMatch(r -> r.url().contains(key) || r.url().contains(secret));
        }
        assertThat(cspViolations).as("Content-Security-Policy violations").isEmpty();

        // The check above can fail: an inline style attribute is refused and reported like any other.
        driver.get(base() + "/");
        wait.until(d -> d.findElement(By.id("key-bar")));
        driver.executeScript("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">inline</p>')");
        wait.until(d -> !Browser.cspViolations(driver).isEmpty());
    }

    private void collectCspViolations() {
        cspViolations.addAll(Browser.cspViolations(driver));
    }

    private static int points(WebElement chart) {
        return Integer.parseInt(chart.getAttribute("data-points"));
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
