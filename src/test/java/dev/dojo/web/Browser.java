package dev.dojo.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium driven through Debian's chromedriver, headless. Both paths are explicit so Selenium
 * Manager never downloads a browser or driver; a missing one is an error, not a skipped test, because
 * CI installs them ({@code apt-get install -y chromium chromium-driver}).
 */
final class Browser {

    static final Path CHROMIUM = Path.of(System.getProperty("dojo.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("dojo.test.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    private Browser() {}

    static ChromeDriver start() throws IOException {
        return start(false);
    }

    /**
     * Starts the browser. Its console log is kept for {@link #cspViolations}; with {@code network}, every
     * request it makes is logged too (DevTools' Network events), for {@link NetworkLog}.
     */
    static ChromeDriver start(boolean network) throws IOException {
        for (Path p : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is missing: install it with apt-get install -y chromium chromium-driver");
            }
        }
        Path profile = Files.createTempDirectory("dojo-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1280,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        if (network) {
            logs.enable(LogType.PERFORMANCE, Level.ALL);
            options.setExperimentalOption("perfLoggingPrefs", Map.of("enableNetwork", true, "enablePage", false));
        }
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Fails when the page scrolls sideways at the window's width, naming the elements that stick out. */
    static void assertFitsWidth(ChromeDriver driver, String where) {
        Object wider = driver.executeScript("""
                const w = document.documentElement.clientWidth;
                if (document.documentElement.scrollWidth <= w) return null;
                return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
                  .slice(0, 10).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
                  .join(', ') + ' wider than ' + w;
                """);
        if (wider != null) {
            throw new AssertionError(where + " scrolls sideways: " + wider);
        }
    }

    /**
     * The console messages since the last call that report a Content-Security-Policy violation (Chromium
     * logs each refused script, style, image or connection as an error naming the policy).
     */
    static List<String> cspViolations(ChromeDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy")).toList();
    }

    static Path screenshot(ChromeDriver driver, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return target;
    }
}
