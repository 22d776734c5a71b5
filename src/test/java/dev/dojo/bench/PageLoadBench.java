package dev.dojo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Loads the web page in Debian's headless Chromium and prints its timings as JSON lines, all in ms from the
 * start of navigation: time to first byte, DOMContentLoaded end, load event end, and "rendered", the moment
 * the page's content is in the DOM (the form and a job row; a job's status and its loss curve), taken by a
 * MutationObserver installed before the page's own scripts. Each run starts a fresh browser profile (cold:
 * empty cache, new connection), then loads the same page twice more in that browser (warm). Run by
 * {@code bench/page.sh}; arguments: base URL, a finished job's id, runs.
 */
public final class PageLoadBench {

    private static final String WATCH = """
            window.__rendered = {};
            new MutationObserver(() => {
              const t = performance.now();
              if (!__rendered.list && document.getElementById('task') && document.querySelector('tr[data-job]')) __rendered.list = t;
              if (!__rendered.job && document.getElementById('job-status')?.textContent
                  && Number(document.getElementById('loss-chart')?.dataset.points) > 0) __rendered.job = t;
            }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
            """;

    private static final String TIMINGS = """
            const n = performance.getEntriesByType('navigation')[0];
            const bytes = [n, ...performance.getEntriesByType('resource')].reduce((s, e) => s + (e.transferSize || 0), 0);
            return { ttfb: n.responseStart, domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd,
                     rendered: window.__rendered[arguments[0]] ?? null, requests: performance.getEntriesByType('resource').length + 1,
                     transferKiB: bytes / 1024 };
            """;

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String job = args[1];
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("list", base + "/");
        pages.put("job", base + "/#/jobs/" + job);
        Map<String, List<Map<String, Object>>> all = new LinkedHashMap<>();
        for (int run = 0; run <= runs; run++) { // run 0 warms the server up and is not reported
            for (Map.Entry<String, String> page : pages.entrySet()) {
                ChromeDriver driver = start();
                try {
                    for (String cache : new String[] {"cold", "warm", "warm"}) {
                        driver.get("about:blank");
                        driver.get(page.getValue());
                        Map<String, Object> t = measure(driver, page.getKey());
                        if (run > 0) {
                            t.put("page", page.getKey());
                            t.put("cache", cache);
                            t.put("run", run);
                            System.out.println(json(t));
                            all.computeIfAbsent(page.getKey() + " " + cache, k -> new ArrayList<>()).add(t);
                        }
                    }
                } finally {
                    driver.quit();
                }
            }
        }
        for (Map.Entry<String, List<Map<String, Object>>> e : all.entrySet()) {
            Map<String, Object> summary = new LinkedHashMap<>();
            String[] key = e.getKey().split(" ");
            summary.put("summary", key[0]);
            summary.put("cache", key[1]);
            summary.put("loads", e.getValue().size());
            for (String figure : new String[] {"ttfb", "domContentLoaded", "load", "rendered"}) {
                double[] v = e.getValue().stream().mapToDouble(t -> ((Number) t.get(figure)).doubleValue()).sorted().toArray();
                summary.put(figure, String.format(Locale.ROOT, "%.0f-%.0f median %.0f", v[0], v[v.length - 1], v[v.length / 2]));
            }
            System.out.println(json(summary));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> measure(ChromeDriver driver, String page) {
        new WebDriverWait(driver, java.time.Duration.ofSeconds(30))
                .until(d -> driver.executeScript("return window.__rendered && window.__rendered[arguments[0]]", page) != null);
        return new LinkedHashMap<>((Map<String, Object>) driver.executeScript(TIMINGS, page));
    }

    private static ChromeDriver start() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("dojo.bench.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory("dojo-page-bench-"), "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("dojo.bench.chromedriver", "/usr/bin/chromedriver")).toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", WATCH));
        return driver;
    }

    private static String json(Map<String, Object> m) {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, Object> e : m.entrySet()) {
            s.append(s.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            s.append(v instanceof Number n ? String.format(Locale.ROOT, "%.1f", n.doubleValue()).replaceAll("\\.0$", "")
                    : v == null ? "null" : "\"" + v + "\"");
        }
        return s.append('}').toString();
    }
}
