package dev.dojo.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The client's event-stream reader against a real socket that breaks the first connection in the
 * middle of a chunked body: the reader opens a second one with Last-Event-ID and goes on from there,
 * missing and repeating nothing.
 */
class EventStreamTest {

    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

    private static String chunk(String s) {
        return Integer.toHexString(s.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + s + "\r\n";
    }

    /** Reads a request's head; returns its Last-Event-ID header, or "" without one. */
    private static String lastEventId(Socket s) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        String id = "";
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase().startsWith("last-event-id:")) {
                id = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return id;
    }

    @Test
    void aConnectionBrokenMidStreamIsResumedFromTheLastEventId() throws Exception {
        List<String> seenIds = new CopyOnWriteArrayList<>();
        // The reset waits until the reader has handed on both complete events: a reset discards
        // whatever the receiving side has not read yet, which would make this test a race.
        CountDownLatch twoRead = new CountDownLatch(2);
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread node = new Thread(() -> {
                try {
                    try (Socket first = server.accept()) {
                        seenIds.add(lastEventId(first));
                        OutputStream out = first.getOutputStream();
                        out.write((HEAD + chunk(": heartbeat\n\n") + chunk("id: 1-0-1-RUNNING-1\nevent: status\ndata: {\"n\":1}\n\n")
                                + chunk("id: 2-0-1-RUNNING-1\nevent: metric\ndata: {\"n\":2}\n\n")
                                // Half a chunk, then the connection breaks: the event in it is never complete.
                                + "40\r\nid: 3-0-1-RUNNING-2\nevent: met").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        twoRead.await(30, TimeUnit.SECONDS);
                        first.setSoLinger(true, 0); // A reset, not a clean close.
                    }
                    try (Socket second = server.accept()) {
                        seenIds.add(lastEventId(second));
                        OutputStream out = second.getOutputStream();
                        out.write((HEAD + chunk("id: 3-0-1-RUNNING-2\nevent: metric\ndata: {\"n\":3}\n\n")
                                + chunk("id: 3-0-1-SUCCEEDED-2\nevent: end\ndata: {\"n\":4,\n")
                                + chunk("data: \"multi\":true}\n\n") + "0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                } catch (Exception e) {
                    seenIds.add("server failed: " + e);
                }
            });
            node.setDaemon(true);
            node.start();

            List<String> notices = new CopyOnWriteArrayList<>();
            Http http = new Http("http://127.0.0.1:" + server.getLocalPort(), null);
            EventStream stream = new EventStream(http, "/api/jobs/j/events", 30_000, 30_000, notices::add);
            List<EventStream.Event> events = new ArrayList<>();
            boolean ended = stream.follow(Deadline.after(Duration.ofSeconds(60)), e -> {
                events.add(e);
                twoRead.countDown();
            });

            assertThat(ended).isTrue();
            assertThat(events).extracting(EventStream.Event::name).containsExactly("status", "metric", "metric", "end");
            assertThat(events).extracting(EventStream.Event::data)
                    .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4,\n\"multi\":true}");
            assertThat(seenIds).containsExactly("", "2-0-1-RUNNING-1");
            assertThat(notices).anySatisfy(n -> assertThat(n).startsWith("connection lost").contains("from event 2-0-1-RUNNING-1"));
            assertThat(stream.lastEventId()).isEqualTo("3-0-1-SUCCEEDED-2");
        }
    }

    @Test
    void aDeadlineEndsTheFollowingWithoutAnEnd() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread node = new Thread(() -> {
                try (Socket s = server.accept()) {
                    lastEventId(s);
                    s.getOutputStream().write((HEAD + chunk(": heartbeat\n\n")).getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                    Thread.sleep(5_000);
                } catch (Exception ignored) {
                    // The client went away.
                }
            });
            node.setDaemon(true);
            node.start();
            EventStream stream = new EventStream(new Http("http://127.0.0.1:" + server.getLocalPort(), null), "/e", 30_000, 30_000, n -> { });
            assertThat(stream.follow(Deadline.after(Duration.ofMillis(500)), e -> { })).isFalse();
        }
    }
}
