package dev.dojo.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** The commands that move more than a job view: logs, predict, download and export. */
final class Transfers {

    private static final long FOLLOW_POLL_MILLIS = 2000;

    private Transfers() {
    }

    static int logs(Client.Command c) {
        String path = Client.jobPath(c.args().only("job id")) + "/logs";
        Long after = null;
        while (true) {
            JsonNode page = c.http().get(path + (after == null ? "" : "?afterId=" + after));
            for (JsonNode line : page.path("lines")) {
                c.out().println(line.path("at").asString("") + " " + line.path("level").asString("") + " [attempt "
                        + line.path("attempt").asInt() + "] " + line.path("message").asString(""));
            }
            c.out().flush();
            if (page.hasNonNull("nextAfterId")) {
                after = page.get("nextAfterId").asLong();
            }
            if (!c.args().flag("--follow")) {
                return 0;
            }
            if (page.path("lines").size() == 0) {
                // Nothing new: stop once the job has ended (its last lines are already printed).
                JsonNode job = c.http().get(Client.jobPath(c.args().only("job id")));
                if (Exit.of(job.path("status").asString("")) >= 0 && c.http().get(path + (after == null ? "" : "?afterId=" + after))
                        .path("lines").size() == 0) {
                    return 0;
                }
                Deadline.NONE.sleep(FOLLOW_POLL_MILLIS);
            }
        }
    }

    static int predict(Client.Command c) {
        String path = Client.jobPath(c.args().only("job id")) + "/predictions" + checkpointQuery(c, "?");
        List<String> images = c.args().all("--image");
        String instances = c.args().one("--instances");
        if (images.isEmpty() == (instances == null)) {
            throw new Exit.Failure("predict needs either --image FILE (one or more) or --instances JSON");
        }
        HttpRequest.Builder b = c.http().request(path).header("Accept", "application/json");
        if (instances != null) {
            String json = instances.startsWith("@") ? read(Path.of(instances.substring(1))) : instances;
            JsonNode parsed;
            try {
                parsed = Http.JSON.readTree(json);
            } catch (JacksonException e) {
                throw new Exit.Failure("--instances is not JSON: " + e.getOriginalMessage());
            }
            JsonNode body = parsed.isObject() && parsed.has("instances") ? parsed : Http.JSON.createObjectNode().set("instances", parsed);
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            String boundary = "dojo-" + UUID.randomUUID();
            b.header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, images)));
        }
        c.print(c.http().json(b.build()));
        return 0;
    }

    /** A checkpoint's ZIP: the one named, or the latest; its SHA-256 checked against the service's. */
    static int download(Client.Command c) {
        String job = Client.jobPath(c.args().only("job id"));
        Integer number = c.args().integer("--checkpoint", 1);
        if (number == null) {
            JsonNode list = c.http().get(job + "/checkpoints");
            if (list.size() == 0) {
                throw new Exit.Failure("job " + c.args().only("job id") + " has no checkpoint yet");
            }
            number = list.get(list.size() - 1).path("number").asInt();
        }
        save(c, job + "/checkpoints/" + number, "application/octet-stream");
        return 0;
    }

    /** The weights as safetensors (GET /api/jobs/{id}/export). */
    static int export(Client.Command c) {
        save(c, Client.jobPath(c.args().only("job id")) + "/export" + checkpointQuery(c, "?"), "application/octet-stream");
        return 0;
    }

    private static String checkpointQuery(Client.Command c, String sep) {
        Integer n = c.args().integer("--checkpoint", 1);
        return n == null ? "" : sep + "checkpoint=" + n;
    }

    /** Streams an answer into --out through a temporary file beside it, so a failure leaves no half file. */
    private static void save(Client.Command c, String path, String accept) {
        String out = c.args().one("--out");
        if (out == null) {
            throw new Exit.Failure(c.args().command + " needs --out FILE");
        }
        Path target = Path.of(out).toAbsolutePath();
        HttpResponse<InputStream> r = c.http().send(c.http().request(path).header("Accept", accept + ", application/problem+json")
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
        try (InputStream in = r.body()) {
            if (r.statusCode() / 100 != 2) {
                Http.requireOk(r.statusCode(), in.readNBytes(64 * 1024));
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long bytes;
            try (OutputStream file = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
                bytes = in.transferTo(file);
            }
            String expected = r.headers().firstValue("X-Checkpoint-Sha256").orElse(null);
            String actual = HexFormat.of().formatHex(sha.digest());
            if (expected != null && !expected.equalsIgnoreCase(actual)) {
                throw new Exit.Failure("the download's SHA-256 " + actual + " is not the service's " + expected);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            c.err().println("dojo: wrote " + bytes + " bytes to " + out + " (sha256 " + actual + ")");
        } catch (IOException e) {
            throw new Exit.Failure("download to " + out + " failed: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // Best effort.
            }
        }
    }

    private static byte[] multipart(String boundary, List<String> files) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String f : files) {
            Path file = Path.of(f);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new Exit.Failure("cannot read the image " + f + ": " + e.getMessage());
            }
            String name = file.getFileName().toString().replaceAll("[\"\\r\\n]", "_");
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + name
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bytes);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new Exit.Failure("cannot read " + file + ": " + e.getMessage());
        }
    }
}
