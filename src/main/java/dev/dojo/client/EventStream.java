package dev.dojo.client;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A job's Server-Sent Events, followed until its {@code end} event. A connection that drops, breaks,
 * falls silent (no heartbeat for {@code idleMillis}) or is ended by the server is opened again with
 * {@code Last-Event-ID}, so no event is missed or repeated. Each connection is read by a daemon
 * thread that hands what it reads to the caller's thread; a silent one is abandoned, not waited for.
 */
final class EventStream {

    record Event(String id, String name, String data) {}

    /** What a connection's reader hands over, tagged with its connection's number. */
    private record Item(int connection, Object what) {}

    private record Closed() {}

    private record Answer(int status, String body, long retryAfterSeconds) {}

    private final Http http;
    private final String path;
    private final long idleMillis;
    private final long giveUpMillis;
    private final Consumer<String> notice;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private String lastEventId;
    private int connection;

    /**
     * @param giveUpMillis without a deadline, how long the service may stay unreachable before the
     *                     client gives up (with one, the deadline decides)
     */
    EventStream(Http http, String path, long idleMillis, long giveUpMillis, Consumer<String> notice) {
        this.http = http;
        this.path = path;
        this.idleMillis = idleMillis;
        this.giveUpMillis = giveUpMillis;
        this.notice = notice;
    }

    String lastEventId() {
        return lastEventId;
    }

    /** Follows until the {@code end} event (true) or the deadline (false), handing each event on. */
    boolean follow(Deadline deadline, Consumer<Event> events) {
        long backoff = 500;
        long failingSince = -1;
        open();
        while (true) {
            long left = deadline.leftMillis();
            if (left == 0) {
                return false;
            }
            Item item;
            try {
                item = queue.poll(Math.min(left, idleMillis), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Exit.Failure("interrupted");
            }
            if (item == null) {
                if (!deadline.passed()) {
                    notice.accept("no event or heartbeat for " + idleMillis / 1000 + " s; reconnecting" + from());
                    open();
                }
                continue;
            }
            if (item.connection() != connection) {
                continue; // From an abandoned connection.
            }
            Object what = item.what();
            if (what instanceof Event e) {
                failingSince = -1;
                backoff = 500;
                if (e.id() != null) {
                    lastEventId = e.id();
                }
                events.accept(e);
                if ("end".equals(e.name())) {
                    return true;
                }
            } else if (what instanceof Closed) {
                // The server ended the stream (dojo.events.max-duration) or the connection broke cleanly.
                deadline.sleep(200);
                open();
            } else if (what instanceof Answer a && a.status() == 200) {
                failingSince = -1; // Connected; a heartbeat or comment.
            } else if (what instanceof Answer a && a.status() == 429) {
                long wait = Math.max(1, a.retryAfterSeconds());
                notice.accept("too many event streams open; retrying in " + wait + " s");
                deadline.sleep(wait * 1000);
                open();
            } else if (what instanceof Answer a && a.status() / 100 != 5) {
                throw new Exit.Failure(Http.problem(a.status(), a.body().getBytes(StandardCharsets.UTF_8)));
            } else {
                // Unreachable, or a 5xx (a proxy in front of a restarting node): retry with backoff.
                String why = what instanceof Answer a ? "HTTP " + a.status() : ((RuntimeException) what).getMessage();
                long now = System.nanoTime();
                if (failingSince < 0) {
                    failingSince = now;
                }
                if (deadline.unlimited() && (now - failingSince) / 1_000_000 > giveUpMillis) {
                    throw what instanceof RuntimeException r ? r : new Exit.Failure(why);
                }
                notice.accept("connection lost (" + why + "); reconnecting in " + backoff + " ms" + from());
                deadline.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
                open();
            }
        }
    }

    private String from() {
        return lastEventId == null ? "" : " from event " + lastEventId;
    }

    private void open() {
        int number = ++connection;
        HttpRequest.Builder b = http.request(path).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpRequest request = b.build();
        Thread reader = new Thread(() -> read(number, request), "dojo-client-events-" + number);
        reader.setDaemon(true);
        reader.start();
    }

    /** One connection: parsed by the HTML standard's rules for text/event-stream. */
    private void read(int number, HttpRequest request) {
        try {
            HttpResponse<Stream<String>> r = http.send(request, HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = r.body()) {
                if (r.statusCode() != 200) {
                    long retryAfter = r.headers().firstValue("Retry-After").map(EventStream::seconds).orElse(5L);
                    String body = String.join("\n", (Iterable<String>) lines::iterator);
                    queue.add(new Item(number, new Answer(r.statusCode(), body, retryAfter)));
                    return;
                }
                queue.add(new Item(number, new Answer(200, "", 0)));
                String id = null;
                String name = null;
                StringBuilder data = new StringBuilder();
                boolean hasData = false;
                for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                    String line = it.next();
                    if (line.isEmpty()) {
                        if (hasData) {
                            queue.add(new Item(number, new Event(id, name == null ? "message" : name, data.toString())));
                        }
                        name = null;
                        data.setLength(0);
                        hasData = false;
                        continue;
                    }
                    if (line.startsWith(":")) {
                        queue.add(new Item(number, new Answer(200, "", 0)));
                        continue;
                    }
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    switch (field) {
                        case "id" -> id = value.contains("\0") ? id : value;
                        case "event" -> name = value;
                        case "data" -> {
                            if (hasData) {
                                data.append('\n');
                            }
                            data.append(value);
                            hasData = true;
                        }
                        default -> { } // retry: and unknown fields are ignored.
                    }
                }
            }
            queue.add(new Item(number, new Closed()));
        } catch (RuntimeException e) {
            // Unreachable, or a connection that broke while reading (an UncheckedIOException).
            queue.add(new Item(number, e instanceof Http.Unreachable ? e : new RuntimeException(
                    e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : String.valueOf(e.getMessage()), e)));
        }
    }

    private static long seconds(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return 5;
        }
    }
}
