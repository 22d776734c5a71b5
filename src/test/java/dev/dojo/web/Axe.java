package dev.dojo.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The axe-core accessibility engine (the {@code org.webjars.npm:axe-core} WebJar, test scope), injected into
 * the page under test and run on the document as it stands: WCAG 2.1 A/AA and best-practice rules.
 */
final class Axe {

    private static String source;

    private Axe() {}

    /** Fails on any serious or critical violation and on any colour-contrast one, naming each node. */
    static void assertClean(ChromeDriver driver, String where) {
        List<Map<String, Object>> violations = run(driver);
        String all = describe(violations);
        System.out.println("axe on " + where + ": " + (violations.isEmpty() ? "no violations" : all));
        List<Map<String, Object>> bad = violations.stream()
                .filter(v -> "color-contrast".equals(v.get("id")) || List.of("serious", "critical").contains(v.get("impact")))
                .toList();
        assertThat(bad).as("axe-core violations on " + where + ":\n" + describe(bad)).isEmpty();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> run(ChromeDriver driver) {
        if (!Boolean.TRUE.equals(driver.executeScript("return typeof window.axe === 'object'"))) {
            driver.executeScript(source());
        }
        Object result = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map(n => n.target.join(' ') + ' (' + (n.failureSummary || '').replace(/\\s+/g, ' ') + ')') }))),
                  e => done('axe failed: ' + e));
                """);
        if (result instanceof String error) {
            throw new IllegalStateException(error);
        }
        return (List<Map<String, Object>>) result;
    }

    private static String describe(List<Map<String, Object>> violations) {
        return violations.stream().map(v -> "- " + v.get("id") + " [" + v.get("impact") + "] " + v.get("help") + ":\n    "
                + String.join("\n    ", (List<String>) v.get("nodes"))).collect(Collectors.joining("\n"));
    }

    private static synchronized String source() {
        if (source == null) {
            try (InputStream props = Axe.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/axe-core/pom.properties")) {
                Properties p = new Properties();
                p.load(props);
                String path = "/META-INF/resources/webjars/axe-core/" + p.getProperty("version") + "/axe.min.js";
                try (InputStream js = Axe.class.getResourceAsStream(path)) {
                    source = new String(js.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return source;
    }
}
