package dev.dojo.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The page's own files as they ship: nothing its Content-Security-Policy would refuse (inline script,
 * inline event handlers, inline styles, markup written from strings), nothing from another origin, and
 * the key kept nowhere but the tab's session storage. The browser tests check the same at run time.
 */
class PageSourceTest {

    private static final Path STATIC = Path.of("src/main/resources/static");

    @Test
    void theHtmlHasNoInlineScriptHandlerOrStyle() throws IOException {
        String html = Files.readString(STATIC.resolve("index.html"));
        Matcher script = Pattern.compile("<script\\b([^>]*)>(.*?)</script>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE).matcher(html);
        int scripts = 0;
        while (script.find()) {
            scripts++;
            assertThat(script.group(1)).as("a script comes from a file").contains("src=\"/");
            assertThat(script.group(2)).as("a script has no inline body").isBlank();
        }
        assertThat(scripts).isPositive();
        assertThat(html).doesNotContainPattern("(?i)<style\\b").doesNotContainPattern("(?i)\\sstyle\\s*=")
                .doesNotContainPattern("(?i)\\son[a-z]+\\s*=").doesNotContainPattern("(?i)javascript:")
                .doesNotContainPattern("(?i)(src|href|action)\\s*=\\s*\"(https?:)?//");
    }

    @Test
    void theScriptsWriteNoMarkupLoadNothingFromElsewhereAndKeepTheKeyInTheSessionOnly() throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(STATIC)) {
            scripts = files.filter(p -> p.toString().endsWith(".js")).sorted().toList();
        }
        assertThat(scripts).hasSizeGreaterThanOrEqualTo(7);
        for (Path file : scripts) {
            String js = Files.readString(file);
            assertThat(js).as(file + ": markup from strings and code from strings")
                    .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                            "setAttribute('style'", "setAttribute('on");
            // The SVG namespace name is the one address allowed: it names, nothing is fetched from it.
            assertThat(js).as(file + ": another origin").doesNotContainPattern("https?://(?!www\\.w3\\.org/2000/svg')");
            assertThat(js).as(file + ": the key lives in sessionStorage only, and streams go through fetch with it")
                    .doesNotContain("localStorage", "document.cookie", "new EventSource");
            Matcher imports = Pattern.compile("\\bfrom\\s+'([^']+)'").matcher(js);
            while (imports.find()) {
                assertThat(imports.group(1)).as(file + " imports from this origin").matches("(\\./|/)[^/].*");
            }
        }
    }
}
