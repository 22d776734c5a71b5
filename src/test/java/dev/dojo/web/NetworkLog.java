package dev.dojo.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every request the browser made, read from its DevTools Network events (the performance log of a
 * browser started with {@code Browser.start(true)}): the URL with its fragment, the method and the
 * headers the page set. The log is drained on each read, so one instance keeps all it has seen.
 */
final class NetworkLog {

    /** One request; header names are lower-cased. */
    record Request(String url, String method, Map<String, String> headers) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ChromeDriver driver;
    private final List<Request> seen = new ArrayList<>();

    NetworkLog(ChromeDriver driver) {
        this.driver = driver;
    }

    /** All requests so far, in the order the browser sent them. */
    synchronized List<Request> requests() {
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message = JSON.readTree(entry.getMessage()).path("message");
            if (!"Network.requestWillBeSent".equals(message.path("method").asString(""))) {
                continue;
            }
            JsonNode request = message.path("params").path("request");
            Map<String, String> headers = new TreeMap<>();
            request.path("headers").properties().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().asString("")));
            String fragment = request.path("urlFragment").asString("");
            seen.add(new Request(request.path("url").asString("") + fragment, request.path("method").asString(""), headers));
        }
        return List.copyOf(seen);
    }
}
