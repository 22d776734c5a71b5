package dev.dojo.event;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Reads a text/event-stream body line by line over real HTTP, as a browser's EventSource would. */
final class SseClient implements AutoCloseable {

    /** One dispatched event; {@code at} is when its blank line arrived. */
    record Event(String id, String name, String data, long at) {}

    private final HttpResponse<Stream<String>> response;
    private final Iterator<String> lines;
    private boolean ended;

    SseClient(int port, String path, String lastEventId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(5));
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        try {
            response = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        lines = response.body().iterator();
    }

    HttpResponse<Stream<String>> response() {
        return response;
    }

    /** The next event, or null once the server has closed the stream. Comments are skipped. */
    Event next() {
        String id = null;
        String name = "message";
        StringBuilder data = new StringBuilder();
        boolean any = false;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (any) {
                    return new Event(id, name, data.toString(), System.nanoTime());
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            any = true;
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
            switch (field) {
                case "id" -> id = value;
                case "event" -> name = value;
                case "data" -> data.append(data.isEmpty() ? "" : "\n").append(value);
                default -> { }
            }
        }
        ended = true;
        return null;
    }

    /** Events until {@code last} matches one (included) or the stream closes. */
    List<Event> until(Predicate<Event> last) {
        List<Event> events = new ArrayList<>();
        for (Event e = next(); e != null; e = next()) {
            events.add(e);
            if (last.test(e)) {
                break;
            }
        }
        return events;
    }

    /** True once the server has closed the body. */
    boolean closedByServer() {
        return ended || !lines.hasNext();
    }

    @Override
    public void close() {
        response.body().close();
    }
}
