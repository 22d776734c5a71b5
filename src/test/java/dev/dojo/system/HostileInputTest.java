package dev.dojo.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dojo.support.Api;
import dev.dojo.support.RawHttp;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile input against every endpoint and method, over real HTTP (a plain socket, so that nothing
 * is cleaned up on the way) with a real worker. Whatever arrives, the answer is a 4xx
 * {@code application/problem+json} within seconds that reveals no stack trace, Java or library
 * name, SQL or file path and repeats no more than a short prefix of the input; no job is created;
 * and afterwards the node is healthy and a trained job's metrics and checkpoints are as they were.
 * Health stays fast while the node holds its caps of long polls and event streams, and one more of
 * either is a 429.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dojo.data-dir=target/test-data/hostile-${random.uuid}",
        "dojo.datasets.mnist-dir=src/test/resources/mnist-subset", "dojo.datasets.verify-checksums=false",
        "dojo.datasets.fashion-mnist-dir=target/test-data/no-fashion-here",
        "dojo.limits.max-body-size=2MB",
        // Tomcat reads and drops up to this much of a refused body, so that the client reads the 413
        // instead of a reset connection.
        "server.tomcat.max-swallow-size=8MB",
        "dojo.limits.max-long-polls=" + HostileInputTest.LONG_POLLS,
        "dojo.limits.max-event-streams=" + HostileInputTest.STREAMS,
        "dojo.events.heartbeat=1s"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {

    static final int LONG_POLLS = 1000;
    static final int STREAMS = 200;

    /** Parses answers refusing duplicate keys: a problem with "status" twice fails the check. */
    private static final JsonMapper STRICT = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final String MISSING = UUID.randomUUID().toString();

    @LocalServerPort
    int port;

    Api api;
    RawHttp raw;
    final Map<String, String> ids = new LinkedHashMap<>();
    String sineMetrics;
    String sineCheckpoints;
    List<String> sineCheckpointDigests;

    @BeforeAll
    void jobsToAttack() throws Exception {
        api = new Api(port);
        raw = new RawHttp(port);
        ids.put("{sine}", api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":40,\"hiddenUnits\":[16],\"checkpointEvery\":10}}"));
        ids.put("{mnist}", api.submit("{\"task\":\"mnist\",\"hyperparameters\":{\"epochs\":1,\"trainLimit\":256,\"batchSize\":64}}"));
        ids.put("{fashion}", api.submit("{\"task\":\"fashion-mnist\",\"hyperparameters\":{\"trainLimit\":64}}"));
        // Needs more GPUs than any worker has: stays QUEUED, for long polls and streams that stay open.
        ids.put("{queued}", api.submit("{\"task\":\"sine-regression\",\"gpus\":8}"));
        ids.put("{missing}", MISSING);
        assertThat(api.await(ids.get("{sine}"), 300).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(api.await(ids.get("{mnist}"), 600).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(api.await(ids.get("{fashion}"), 300).get("status").asString()).isEqualTo("FAILED");
        sineMetrics = api.get("/api/jobs/" + ids.get("{sine}") + "/metrics?limit=10000").text();
        sineCheckpoints = api.get("/api/jobs/" + ids.get("{sine}") + "/checkpoints").text();
        sineCheckpointDigests = checkpointDigests(ids.get("{sine}"));
        assertThat(sineCheckpointDigests).hasSize(4);
    }

    // ---------------------------------------------------------------- the cases

    /** One hostile request and the answer it must get: the exact 4xx, and the field a 400 names. */
    record Case(String name, String head, byte[] body, boolean chunked, int expected, String field, Duration within) {

        Case field(String f) {
            return new Case(name, head, body, chunked, expected, f, within);
        }

        Case within(Duration d) {
            return new Case(name, head, body, chunked, expected, field, d);
        }

        byte[] bytes(Map<String, String> ids) {
            String h = head;
            for (Map.Entry<String, String> e : ids.entrySet()) {
                h = h.replace(e.getKey(), e.getValue());
            }
            byte[] headBytes = h.getBytes(StandardCharsets.ISO_8859_1);
            if (body == null) {
                return headBytes;
            }
            if (!chunked) {
                return RawHttp.concat(headBytes, body);
            }
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int off = 0; off < body.length; off += 8192) {
                int n = Math.min(8192, body.length - off);
                chunks.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                chunks.write(body, off, n);
                chunks.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            chunks.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return RawHttp.concat(headBytes, chunks.toByteArray());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final Duration USUAL = Duration.ofSeconds(15);

    static Case send(String name, String method, String target, int expected, List<String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        headers.forEach(h -> head.append(h).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        return new Case(name, head.append("\r\n").toString(), body, false, expected, null, USUAL);
    }

    static Case sendChunked(String name, String method, String target, int expected, List<String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        headers.forEach(h -> head.append(h).append("\r\n"));
        head.append("Transfer-Encoding: chunked\r\n");
        return new Case(name, head.append("\r\n").toString(), body, true, expected, null, USUAL);
    }

    static Case get(String name, String target, int expected) {
        return send(name, "GET", target, expected, List.of(), null);
    }

    static Case rawHead(String name, String head, int expected) {
        return new Case(name, head, null, false, expected, null, USUAL);
    }

    static Case json(String name, String target, String body, int expected) {
        return send(name, "POST", target, expected, List.of("Content-Type: application/json"), utf8(body));
    }

    static Case spec(String name, String body, String field) {
        return json(name, "/api/jobs", body, 400).field(field);
    }

    static Case multipart(String name, String target, int expected, String boundary, byte[] body) {
        return send(name, "POST", target, expected, List.of("Content-Type: multipart/form-data; boundary=" + boundary), body);
    }

    static Stream<Case> cases() {
        String valid = "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":5}}";
        String longId = "a".repeat(3000);
        String deep = "[".repeat(200) + "]".repeat(200);
        byte[] bigPng = png(2000, 2000);
        List<Case> all = new ArrayList<>(List.of(
                // -------- methods an endpoint does not take
                send("PUT /api/jobs", "PUT", "/api/jobs", 405, List.of("Content-Type: application/json"), utf8(valid)),
                send("DELETE /api/jobs", "DELETE", "/api/jobs", 405, List.of(), null),
                send("PATCH a job", "PATCH", "/api/jobs/{sine}", 405, List.of("Content-Type: application/json"), utf8("{\"name\":\"x\"}")),
                // DELETE of a job is a route: a live one is refused, a missing or absurd id is not found.
                send("DELETE a live job", "DELETE", "/api/jobs/{queued}", 409, List.of(), null),
                send("DELETE a missing job", "DELETE", "/api/jobs/{missing}", 404, List.of(), null),
                send("DELETE a 3000-character job id", "DELETE", "/api/jobs/" + longId, 404, List.of(), null),
                send("PUT cancel", "PUT", "/api/jobs/{queued}/cancel", 405, List.of(), null),
                get("GET cancel", "/api/jobs/{queued}/cancel", 405),
                send("POST metrics", "POST", "/api/jobs/{sine}/metrics", 405, List.of("Content-Type: application/json"), utf8("[]")),
                send("DELETE checkpoints", "DELETE", "/api/jobs/{sine}/checkpoints", 405, List.of(), null),
                send("POST a checkpoint", "POST", "/api/jobs/{sine}/checkpoints/1", 405, List.of(), null),
                send("POST logs", "POST", "/api/jobs/{sine}/logs", 405, List.of(), null),
                send("POST events", "POST", "/api/jobs/{sine}/events", 405, List.of(), null),
                get("GET predictions", "/api/jobs/{sine}/predictions", 405),
                send("POST test-images", "POST", "/api/jobs/{mnist}/test-images", 405, List.of(), null),
                send("POST tasks", "POST", "/api/tasks", 405, List.of("Content-Type: application/json"), utf8("{}")),
                send("POST workers", "POST", "/api/workers", 405, List.of(), null),
                send("PUT evaluation", "PUT", "/api/jobs/{mnist}/evaluation", 405, List.of(), null),
                send("POST a plot", "POST", "/api/jobs/{sine}/plots/loss.svg", 405, List.of(), null),
                send("DELETE model", "DELETE", "/api/jobs/{sine}/model", 405, List.of(), null),
                send("TRACE /api/jobs", "TRACE", "/api/jobs", 405, List.of(), null),
                send("TRACE the web page", "TRACE", "/", 405, List.of(), null),
                send("a made-up method", "FOO", "/api/jobs", 405, List.of(), null),
                send("POST health", "POST", "/actuator/health", 405, List.of(), null),
                send("DELETE prometheus", "DELETE", "/actuator/prometheus", 405, List.of(), null),
                send("POST the API document", "POST", "/v3/api-docs", 405, List.of(), null),
                send("PUT the web page", "PUT", "/", 405, List.of(), utf8("<html>")),

                // -------- what does not exist
                get("an unknown job", "/api/jobs/{missing}", 404),
                get("a long poll of an unknown job", "/api/jobs/{missing}?waitSeconds=30", 404).within(Duration.ofSeconds(5)),
                send("cancel an unknown job", "POST", "/api/jobs/{missing}/cancel", 404, List.of(), null),
                get("model of an unknown job", "/api/jobs/{missing}/model", 404),
                get("metrics of an unknown job", "/api/jobs/{missing}/metrics", 404),
                get("checkpoints of an unknown job", "/api/jobs/{missing}/checkpoints", 404),
                get("a checkpoint of an unknown job", "/api/jobs/{missing}/checkpoints/1", 404),
                get("logs of an unknown job", "/api/jobs/{missing}/logs", 404),
                get("events of an unknown job", "/api/jobs/{missing}/events", 404),
                get("evaluation of an unknown job", "/api/jobs/{missing}/evaluation", 404),
                get("loss plot of an unknown job", "/api/jobs/{missing}/plots/loss.svg", 404),
                get("fit plot of an unknown job", "/api/jobs/{missing}/plots/fit.svg", 404),
                json("predict with an unknown job", "/api/jobs/{missing}/predictions", "{\"instances\":[0.5]}", 404),
                get("test images of an unknown job", "/api/jobs/{missing}/test-images", 404),
                get("a 3000-character job id", "/api/jobs/" + longId, 404),
                get("a job id with a right-to-left override", "/api/jobs/%E2%80%AE%3Cscript%3E", 404),
                get("a double-encoded slash in an id", "/api/jobs/..%252F..%252Fetc", 404),
                get("a checkpoint that does not exist", "/api/jobs/{sine}/checkpoints/999999", 404),
                get("a negative checkpoint", "/api/jobs/{sine}/checkpoints/-1", 404),
                get("an unknown API path", "/api/nothing-here", 404),
                get("an unknown actuator", "/actuator/env", 404),
                get("an unknown metric", "/actuator/metrics/no.such.metric", 404),
                get("a metric tag that matches nothing", "/actuator/metrics/disk.free?tag=path:nope", 404),
                get("a metric tag without a value", "/actuator/metrics/disk.free?tag=nocolon", 400),
                get("an unknown health group", "/actuator/health/no-such-group", 404),
                send("POST the page's script", "POST", "/app.js", 405, List.of("Content-Type: application/javascript"), utf8("alert(1)")),
                get("the error page itself", "/error", 404),
                get("evaluation of a sine job", "/api/jobs/{sine}/evaluation", 404),
                get("test images of a sine job", "/api/jobs/{sine}/test-images", 404),
                get("test images whose data set is missing", "/api/jobs/{fashion}/test-images", 404),

                // -------- what the container refuses before any application code
                get("an encoded slash in the path", "/api/jobs/a%2Fb", 400),
                get("an encoded NUL in the path", "/api/jobs/a%00b", 400),
                get("a backslash in the path", "/api/jobs/a\\b", 400),
                get("an encoded backslash in the path", "/api/jobs/a%5Cb", 400),
                get("an overlong UTF-8 slash in the path", "/api/jobs/%C0%AF", 400),
                get("a traversal with encoded slashes", "/api/jobs/..%2F..%2F..%2Fetc%2Fpasswd", 400),
                get("a request line of 10,000 characters", "/api/jobs/" + "b".repeat(10_000), 400),
                send("a 20,000-character header", "GET", "/api/jobs", 400, List.of("X-Filler: " + "c".repeat(20_000)), null),
                send("a NUL in a header", "GET", "/api/jobs", 400, List.of("X-Thing: a\0b"), null),
                send("a CR in Last-Event-ID", "GET", "/api/jobs/{queued}/events", 400, List.of("Last-Event-ID: 1-2\rx"), null),
                rawHead("no Host header", "GET /api/jobs HTTP/1.1\r\nConnection: close\r\n\r\n", 400),
                rawHead("two Host headers", "GET /api/jobs HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n", 400),
                rawHead("a method that is not a token", "G(T /api/jobs HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 400),
                rawHead("HTTP/9.9", "GET /api/jobs HTTP/9.9\r\nHost: a\r\nConnection: close\r\n\r\n", 400),
                rawHead("a Content-Length that is not a number", "POST /api/jobs HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: abc\r\nConnection: close\r\n\r\n", 400),
                rawHead("both Content-Length and chunked", "POST /api/jobs HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n", 400),

                // -------- query parameters
                get("a malformed escape in page", "/api/jobs?page=%zz", 400).field("page"),
                get("a malformed escape in a parameter name", "/api/jobs?%zz=1", 400).field("query"),
                get("a lone UTF-8 lead byte", "/api/jobs?page=%C0", 400).field("page"),
                get("a truncated escape", "/api/jobs?task=abc%2", 400).field("task"),
                get("a page whose offset overflows", "/api/jobs?page=2147483647&size=200", 400).field("page"),
                get("a page beyond int", "/api/jobs?page=99999999999", 400).field("page"),
                get("a negative size", "/api/jobs?size=-1", 400).field("size"),
                get("an unknown status", "/api/jobs?status=done", 400).field("status"),
                get("a NUL status", "/api/jobs?status=%00", 400).field("status"),
                get("a NUL task filter", "/api/jobs?task=%00", 400).field("task"),
                get("a 5000-character task filter", "/api/jobs?task=" + "t".repeat(5000), 400).field("task"),
                get("waitSeconds over 600", "/api/jobs/{queued}?waitSeconds=601", 400).field("waitSeconds"),
                get("waitSeconds not a number", "/api/jobs/{queued}?waitSeconds=soon", 400).field("waitSeconds"),
                get("waitSeconds beyond int", "/api/jobs/{queued}?waitSeconds=99999999999", 400).field("waitSeconds"),
                get("a negative afterStep", "/api/jobs/{sine}/metrics?afterStep=-1", 400).field("afterStep"),
                get("a metrics limit over the cap", "/api/jobs/{sine}/metrics?limit=100000", 400).field("limit"),
                get("a metric name with CR LF", "/api/jobs/{sine}/metrics?name=loss%0d%0aX-Evil:%201", 400).field("name"),
                get("a negative log id", "/api/jobs/{sine}/logs?afterId=-5", 400).field("afterId"),
                get("a log limit of zero", "/api/jobs/{sine}/logs?limit=0", 400).field("limit"),
                get("a negative test-image offset", "/api/jobs/{mnist}/test-images?offset=-1", 400).field("offset"),
                get("a test-image limit over the cap", "/api/jobs/{mnist}/test-images?limit=101", 400).field("limit"),
                get("a checkpoint number that is text", "/api/jobs/{sine}/checkpoints/latest", 400).field("number"),
                get("a checkpoint number beyond int", "/api/jobs/{sine}/checkpoints/99999999999", 400).field("number"),
                json("checkpoint zero for a prediction", "/api/jobs/{sine}/predictions?checkpoint=0", "{\"instances\":[0.5]}", 400).field("checkpoint"),
                json("an invert that is no choice", "/api/jobs/{mnist}/predictions?invert=maybe", "{\"instances\":[]}", 400).field("invert"),
                get("a CR LF in lastEventId", "/api/jobs/{queued}/events?lastEventId=1-2-1-RUNNING-1%0d%0aevent:%20end", 400).field("lastEventId"),
                get("a lastEventId that no stream sent", "/api/jobs/{queued}/events?lastEventId=garbage", 400).field("lastEventId"),
                send("a Last-Event-ID that no stream sent", "GET", "/api/jobs/{queued}/events", 400, List.of("Last-Event-ID: 1-2-<script>"), null).field("Last-Event-ID"),

                // -------- job specs
                spec("null in hiddenUnits", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"hiddenUnits\":[null]}}", "hyperparameters.hiddenUnits[0]"),
                spec("null among hiddenUnits of a wide net", "{\"task\":\"mnist\",\"hyperparameters\":{\"model\":\"wide-net\",\"hiddenUnits\":[8,null]}}", "hyperparameters.hiddenUnits[1]"),
                spec("the task twice", "{\"task\":\"cifar\",\"task\":\"sine-regression\"}", "task"),
                spec("a hyperparameter twice", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":1,\"epochs\":2}}", "hyperparameters.epochs"),
                spec("an array for an integer", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":[1]}}", "hyperparameters.epochs"),
                spec("an object for a string", "{\"task\":{\"name\":\"sine-regression\"}}", "task"),
                spec("a float for an integer", "{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":1e2}}", "hyperparameters.epochs"),
                spec("a priority beyond int", "{\"task\":\"sine-regression\",\"priority\":1e400}", "priority"),
                // The parser refuses it before the binder knows which field it is for.
                spec("a number of 5000 digits", "{\"task\":\"sine-regression\",\"priority\":" + "9".repeat(5000) + "}", "body"),
                spec("nesting 200 deep", "{\"task\":\"sine-regression\",\"name\":" + deep + "}", "name"),
                spec("a 900 KB task name", "{\"task\":\"" + "x".repeat(900_000) + "\"}", "task"),
                spec("a task name with CR LF and markup", "{\"task\":\"sine\\r\\nX-Evil: 1<script>alert(1)</script>\"}", "task"),
                spec("a NUL in the name", "{\"task\":\"sine-regression\",\"name\":\"a\\u0000b\"}", "name"),
                spec("a lone surrogate in the name", "{\"task\":\"sine-regression\",\"name\":\"a\\ud800b\"}", "name"),
                spec("a name of 100,000 characters", "{\"task\":\"sine-regression\",\"name\":\"" + "n".repeat(100_000) + "\"}", "name"),
                spec("trailing content after the spec", valid + " {}", "body"),
                spec("a spec cut short", "{\"task\":\"sine-regression\",\"hyper", "body"),
                spec("a JSON null body", "null", "body"),
                spec("GPUs below zero", "{\"task\":\"sine-regression\",\"gpus\":-1}", "gpus"),
                spec("an unknown field holding a huge array", "{\"task\":\"sine-regression\",\"extra\":[" + "1,".repeat(10_000) + "1]}", "extra"),
                send("bytes that are not UTF-8", "POST", "/api/jobs", 400, List.of("Content-Type: application/json"),
                        RawHttp.concat(utf8("{\"task\":\"sine-"), new byte[] {(byte) 0xC3, (byte) 0x28, '"', '}'})).field("body"),
                send("a valid spec that asks for XML", "POST", "/api/jobs", 406, List.of("Content-Type: application/json", "Accept: application/xml"), utf8(valid)),
                send("a valid spec that asks for HTML", "POST", "/api/jobs", 406, List.of("Content-Type: application/json", "Accept: text/html"), utf8(valid)),
                send("a cancel that asks for XML", "POST", "/api/jobs/{queued}/cancel", 406, List.of("Accept: application/xml"), null),
                send("a spec sent as XML", "POST", "/api/jobs", 415, List.of("Content-Type: application/xml"), utf8("<task>sine-regression</task>")),
                send("a spec sent as a form", "POST", "/api/jobs", 415, List.of("Content-Type: application/x-www-form-urlencoded"), utf8("task=sine-regression")),
                send("a spec sent as multipart", "POST", "/api/jobs", 415, List.of("Content-Type: multipart/form-data; boundary=b"),
                        utf8("--b\r\nContent-Disposition: form-data; name=\"task\"\r\n\r\nsine-regression\r\n--b--\r\n")),
                send("a body over the limit", "POST", "/api/jobs", 413, List.of("Content-Type: application/json"),
                        utf8("{\"task\":\"" + "y".repeat(2_500_000) + "\"}")).field("body"),
                sendChunked("a chunked body over the limit", "POST", "/api/jobs", 413, List.of("Content-Type: application/json"),
                        utf8("{\"task\":\"" + "z".repeat(2_500_000) + "\"}")).field("body"),
                send("cancel a job that has ended", "POST", "/api/jobs/{sine}/cancel", 409, List.of(), null),

                // -------- predictions
                json("instances that are not a list", "/api/jobs/{sine}/predictions", "{\"instances\":\"0.5\"}", 400).field("instances"),
                json("instances nested 200 deep", "/api/jobs/{sine}/predictions", "{\"instances\":" + deep + "}", 400),
                json("more instances than allowed", "/api/jobs/{sine}/predictions",
                        "{\"instances\":[" + "0.5,".repeat(1024) + "0.5]}", 400).field("instances"),
                json("an instance that is a huge object", "/api/jobs/{sine}/predictions",
                        "{\"instances\":[{\"x\":\"" + "q".repeat(100_000) + "\"}]}", 400).field("instances[0]"),
                json("an image that is not base64", "/api/jobs/{mnist}/predictions", "{\"instances\":[{\"b64\":\"!!!\"}]}", 400).field("instances[0]"),
                json("an image that is not an image", "/api/jobs/{mnist}/predictions",
                        "{\"instances\":[{\"b64\":\"" + b64(utf8("GIF89a but not really")) + "\"}]}", 400).field("instances[0]"),
                json("a PNG cut short", "/api/jobs/{mnist}/predictions",
                        "{\"instances\":[{\"b64\":\"" + b64(Arrays.copyOf(png(28, 28), 40)) + "\"}]}", 400).field("instances[0]"),
                json("a PNG claiming 100000x100000 pixels", "/api/jobs/{mnist}/predictions",
                        "{\"instances\":[{\"b64\":\"" + b64(claimingPng(100_000, 100_000)) + "\"}]}", 400).field("instances[0]"),
                json("a JPEG claiming 60000x60000 pixels", "/api/jobs/{mnist}/predictions",
                        "{\"instances\":[{\"b64\":\"" + b64(claimingJpeg(60_000, 60_000)) + "\"}]}", 400).field("instances[0]"),
                json("a BMP claiming 30000x30000 pixels", "/api/jobs/{mnist}/predictions",
                        "{\"instances\":[{\"b64\":\"" + b64(claimingBmp(30_000, 30_000)) + "\"}]}", 400).field("instances[0]"),
                json("8 PNGs of 2000x2000 pixels in one request", "/api/jobs/{mnist}/predictions",
                        "{\"instances\":[" + String.join(",", java.util.Collections.nCopies(8, "{\"b64\":\"" + b64(bigPng) + "\"}")) + "]}", 400)
                        .field("instances").within(Duration.ofSeconds(3)),
                multipart("48 uploaded PNGs of 2000x2000 pixels", "/api/jobs/{mnist}/predictions", 400, "bnd",
                        parts("bnd", IntStream.range(0, 48).mapToObj(i -> new Part("image", "d" + i + ".png", "image/png", bigPng)).toList()))
                        .field("instances").within(Duration.ofSeconds(3)),
                multipart("256 uploaded PNGs of 2000x2000 pixels (1 MB, more parts than allowed)", "/api/jobs/{mnist}/predictions", 413, "bnd",
                        parts("bnd", IntStream.range(0, 256).mapToObj(i -> new Part("image", "d" + i + ".png", "image/png", bigPng)).toList()))
                        .field("body").within(Duration.ofSeconds(3)),
                multipart("an upload claiming 100000x100000 pixels", "/api/jobs/{mnist}/predictions", 400, "bnd",
                        parts("bnd", List.of(new Part("image", "huge.png", "image/png", claimingPng(100_000, 100_000))))).field("instances[0]"),
                send("multipart without a boundary", "POST", "/api/jobs/{mnist}/predictions", 400, List.of("Content-Type: multipart/form-data"),
                        utf8("--x\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\nabc\r\n--x--\r\n")).field("body"),
                multipart("a truncated multipart body", "/api/jobs/{mnist}/predictions", 400, "XX",
                        utf8("--XX\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\nabc")).field("body"),
                multipart("a NUL in an uploaded file name", "/api/jobs/{mnist}/predictions", 400, "XX",
                        utf8("--XX\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a\0b.png\"\r\nContent-Type: image/png\r\n\r\nabc\r\n--XX--\r\n")).field("body"),
                multipart("an upload in the wrong part", "/api/jobs/{mnist}/predictions", 400, "XX",
                        parts("XX", List.of(new Part("file", "a.png", "image/png", png(28, 28))))).field("image"),
                multipart("an upload that is not an image", "/api/jobs/{mnist}/predictions", 400, "XX",
                        parts("XX", List.of(new Part("image", "a.png", "image/png", utf8("#!/bin/sh\nrm -rf /"))))).field("instances[0]"),
                multipart("an upload to a sine job", "/api/jobs/{sine}/predictions", 400, "XX",
                        parts("XX", List.of(new Part("image", "a.png", "image/png", png(28, 28))))).field("image"),
                send("a prediction sent as text", "POST", "/api/jobs/{sine}/predictions", 415, List.of("Content-Type: text/plain"), utf8("0.5")),
                send("a prediction that asks for XML", "POST", "/api/jobs/{sine}/predictions", 406,
                        List.of("Content-Type: application/json", "Accept: application/xml"), utf8("{\"instances\":[0.5]}")),
                send("a plot that asks for JSON", "GET", "/api/jobs/{sine}/plots/loss.svg", 406, List.of("Accept: application/json"), null),
                send("events that ask for JSON", "GET", "/api/jobs/{queued}/events", 406, List.of("Accept: application/json"), null)));
        return all.stream();
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileRequestGetsAShortProblemAndChangesNothing(Case c) throws Exception {
        long jobsBefore = jobCount();

        RawHttp.Answer a = raw.send(c.bytes(ids), c.within().plusSeconds(5));

        String all = a.headerText() + "\n" + a.text();
        assertThat(a.status()).as(c.name() + ": " + all).isEqualTo(c.expected());
        assertThat(a.millis()).as(c.name() + " answered in time").isLessThan(c.within().toMillis());
        assertThat(a.header("Content-Type")).as(c.name()).startsWith("application/problem+json");
        JsonNode problem = STRICT.readTree(a.body());
        assertThat(problem.get("status").asInt()).as(all).isEqualTo(a.status());
        assertThat(problem.get("title").asString()).as(all).isNotBlank();
        if (c.field() != null) {
            assertThat(problem.get("errors").findValuesAsString("field")).as(all).contains(c.field());
        }
        assertRevealsNothing(c.name(), all);
        assertThat(a.body().length).as(c.name() + ": repeats no more than a short prefix of the input").isLessThan(2048);
        assertThat(a.headerText().length()).as(c.name()).isLessThan(1024);
        if (a.status() == 405) {
            assertThat(a.header("Allow")).as(c.name()).isNotBlank();
        }
        assertThat(jobCount()).as(c.name() + " created no job").isEqualTo(jobsBefore);
    }

    @Test
    @Order(2)
    void thereAreAtLeastAHundredCasesAcrossEveryEndpoint() {
        List<Case> all = cases().toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(100);
        String heads = String.join("\n", all.stream().map(Case::head).toList());
        for (String endpoint : List.of("/api/jobs ", "/api/jobs/{", "/cancel", "/model", "/metrics", "/checkpoints ", "/checkpoints/",
                "/logs", "/events", "/evaluation", "/plots/loss.svg", "/plots/fit.svg", "/predictions", "/test-images", "/api/tasks",
                "/api/workers", "/actuator/health", "/actuator/prometheus", "/v3/api-docs", "PUT / ")) {
            assertThat(heads).as("a case for " + endpoint).contains(endpoint);
        }
    }

    @Test
    @Order(3)
    void aFailedJobAndTheMetricsEndpointsShowNoPathOfTheMachine() {
        String fashion = ids.get("{fashion}");
        JsonNode job = api.get("/api/jobs/" + fashion).json();
        assertThat(job.get("failureReason").asString()).isNotBlank();
        assertRevealsNothing("failed job", job.toString());
        assertRevealsNothing("failed job's log", api.get("/api/jobs/" + fashion + "/logs").text());
        for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/disk.free", "/actuator/health", "/actuator/info")) {
            Api.Response r = api.get(path);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.text()).as(path).doesNotContain(workingDir()).doesNotContain("/tmp/");
        }
    }

    @Test
    @Order(4)
    void healthAnswersWithin100msWhileTheNodeHoldsItsCapOfLongPollsAndStreams() throws Exception {
        String queued = ids.get("{queued}");
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < LONG_POLLS; i++) {
                clients.add(open("GET /api/jobs/" + queued + "?waitSeconds=60 HTTP/1.1\r\nHost: a\r\n\r\n"));
            }
            for (int i = 0; i < STREAMS; i++) {
                clients.add(open("GET /api/jobs/" + queued + "/events HTTP/1.1\r\nHost: a\r\nAccept: text/event-stream\r\n\r\n"));
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                assertThat(openCount("long_poll")).isEqualTo(LONG_POLLS);
                assertThat(openCount("event_stream")).isEqualTo(STREAMS);
            });

            // Health in rounds of 20 calls: the 90th percentile of a round must be under 100 ms. The
            // machine running the tests is shared, so a round spoilt by someone else's burst is
            // measured again (up to five rounds); the node's own load is the same in every round.
            List<List<Long>> rounds = new ArrayList<>();
            boolean fast = false;
            for (int round = 0; round < 5 && !fast; round++) {
                List<Long> millis = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    long start = System.nanoTime();
                    Api.Response health = api.get("/actuator/health");
                    millis.add((System.nanoTime() - start) / 1_000_000);
                    assertThat(health.status()).isEqualTo(200);
                    assertThat(health.json().get("status").asString()).isEqualTo("UP");
                }
                millis.sort(null);
                rounds.add(millis);
                fast = millis.get(millis.size() / 2) < 100 && millis.get(millis.size() - 3) < 100;
            }
            assertThat(fast).as("health calls in ms, sorted, per round: %s", rounds).isTrue();
            assertThat(openCount("long_poll")).as("still open while health was measured").isEqualTo(LONG_POLLS);
            assertThat(openCount("event_stream")).isEqualTo(STREAMS);

            // One more of either is refused at once, with Retry-After, and changes nothing.
            for (String target : List.of("/api/jobs/" + queued + "?waitSeconds=5", "/api/jobs/" + queued + "/events")) {
                RawHttp.Answer refused = raw.send(RawHttp.request("GET", target, List.of(), null), Duration.ofSeconds(10));
                assertThat(refused.status()).as(target).isEqualTo(429);
                assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
                assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();
                assertRevealsNothing(target, refused.text());
            }
            RawHttp.Answer cancel = raw.send(RawHttp.request("POST", "/api/jobs/" + ids.get("{sine}") + "/cancel", List.of(), null),
                    Duration.ofSeconds(10));
            assertThat(cancel.status()).as("an ended job's cancel needs no wait").isEqualTo(409);
            // Quick reads still answer: they hold no place.
            assertThat(api.get("/api/jobs/" + queued).status()).isEqualTo(200);
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
        // Streams notice their client has gone at the next heartbeat; long polls answer at their deadline.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(openCount("event_stream")).isZero();
            assertThat(openCount("long_poll")).isZero();
        });
    }

    @Test
    @Order(5)
    void afterwardsTheNodeIsHealthyAndNothingWasLost() throws Exception {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(openCount("event_stream")).isZero();
            assertThat(openCount("long_poll")).isZero();
        });
        assertThat(api.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
        String sine = ids.get("{sine}");
        assertThat(api.get("/api/jobs/" + sine + "/metrics?limit=10000").text()).isEqualTo(sineMetrics);
        assertThat(api.get("/api/jobs/" + sine + "/checkpoints").text()).isEqualTo(sineCheckpoints);
        assertThat(checkpointDigests(sine)).isEqualTo(sineCheckpointDigests);
        assertThat(api.get("/api/jobs/" + sine).json().get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(api.post("/api/jobs/" + sine + "/predictions", "{\"instances\":[0.5]}").status()).isEqualTo(200);
        Api.Response digit = api.post("/api/jobs/" + ids.get("{mnist}") + "/predictions",
                "{\"instances\":[{\"b64\":\"" + b64(png(28, 28)) + "\"}]}");
        assertThat(digit.status()).as(digit.text()).isEqualTo(200);
        // The node still takes and trains new work.
        String after = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":3,\"hiddenUnits\":[8]}}");
        assertThat(api.await(after, 120).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(api.get("/api/jobs/" + ids.get("{queued}")).json().get("status").asString()).isEqualTo("QUEUED");
    }

    // ---------------------------------------------------------------- checks

    /** No stack trace, Java or library name, SQL or path of this machine. */
    private void assertRevealsNothing(String what, String text) {
        assertThat(text).as(what)
                .doesNotContain("java.", "javax.", "jakarta.", "dev.dojo", "tools.jackson", "com.fasterxml", "org.springframework",
                        "org.apache", "org.h2", "JsonToken", "Exception", "StreamReadConstraints", "\tat ", "SELECT ", "INSERT ",
                        "training_job", "job_metric", "/tmp/", "/home/", "/root/", "/usr/share")
                .doesNotContain(workingDir());
    }

    private static String workingDir() {
        return Path.of("").toAbsolutePath().toString();
    }

    private long jobCount() {
        return api.get("/api/jobs?size=1").json().get("totalItems").asLong();
    }

    private double openCount(String kind) {
        JsonNode m = api.get("/actuator/metrics/dojo.http.open.requests?tag=kind:" + kind).json();
        return m.get("measurements").get(0).get("value").asDouble();
    }

    private Socket open(String request) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    private List<String> checkpointDigests(String job) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode c : api.get("/api/jobs/" + job + "/checkpoints").json()) {
            Api.Response r = api.get("/api/jobs/" + job + "/checkpoints/" + c.get("number").asInt());
            assertThat(r.status()).isEqualTo(200);
            out.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.raw().body())));
        }
        return out;
    }

    // ---------------------------------------------------------------- hostile bodies

    record Part(String name, String filename, String type, byte[] content) {}

    static byte[] parts(String boundary, List<Part> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            out.writeBytes(utf8("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name() + "\"; filename=\""
                    + p.filename() + "\"\r\nContent-Type: " + p.type() + "\r\n\r\n"));
            out.writeBytes(p.content());
            out.writeBytes(utf8("\r\n"));
        }
        out.writeBytes(utf8("--" + boundary + "--\r\n"));
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A real, decodable black PNG: a few KB that decode into width × height pixels. */
    static byte[] png(int width, int height) {
        return encode(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY), "png");
    }

    /** A 1×1 PNG whose header claims width × height (its CRC recomputed, so the header reads as valid). */
    static byte[] claimingPng(int width, int height) {
        byte[] png = png(1, 1);
        putInt(png, 16, width);
        putInt(png, 20, height);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        putInt(png, 29, (int) crc.getValue());
        return png;
    }

    /** An 8×8 JPEG whose start-of-frame claims width × height. */
    static byte[] claimingJpeg(int width, int height) {
        byte[] jpeg = encode(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "jpeg");
        for (int i = 0; i < jpeg.length - 9; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc0) {
                jpeg[i + 5] = (byte) (height >> 8);
                jpeg[i + 6] = (byte) height;
                jpeg[i + 7] = (byte) (width >> 8);
                jpeg[i + 8] = (byte) width;
                return jpeg;
            }
        }
        throw new IllegalStateException("no start-of-frame in the JPEG");
    }

    /** A 4×4 BMP whose header claims width × height. */
    static byte[] claimingBmp(int width, int height) {
        byte[] bmp = encode(new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR), "bmp");
        putIntLe(bmp, 18, width);
        putIntLe(bmp, 22, height);
        return bmp;
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no " + format + " writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void putIntLe(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
