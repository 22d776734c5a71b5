package dev.dojo.client;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code client run} (submit and follow) and {@code client wait} (long-poll): both end by the job's outcome. */
final class Run implements Interrupt.Target {

    /** Without a --timeout, how long the service may stay unreachable before the client gives up. */
    private static final long GIVE_UP_MILLIS = 5 * 60_000;
    private static final long IDLE_MILLIS = 60_000;
    private static final int SUBMIT_TRIES = 4;

    private final Client.Command c;
    private final Progress progress;
    private final Deadline deadline;
    private volatile String jobId;
    /** Set once by whoever ends the run: {@link #finish} or {@link #leave}; the other then does nothing. */
    private final java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();

    Run(Client.Command c) {
        this.c = c;
        this.progress = new Progress(c.err(), System.console() != null);
        this.deadline = Deadline.after(c.args().duration("--timeout"));
    }

    int run() {
        ObjectNode spec = spec(Path.of(c.args().only("spec file")));
        String key = c.args().one("--idempotency-key");
        if (key == null) {
            key = UUID.randomUUID().toString();
            progress.line("idempotency key " + key + " (to retry this run without a second job: --idempotency-key " + key + ")");
        } else if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) {
            throw new Exit.Failure("--idempotency-key must be 1 to 255 printable characters without spaces");
        }
        JsonNode job = submit(spec.toString(), key);
        jobId = job.path("id").asString();
        progress.job(job);
        Interrupt.install(this, progress);
        boolean done = Exit.of(job.path("status").asString("")) >= 0;
        if (!done) {
            EventStream events = new EventStream(c.http(), Client.jobPath(jobId) + "/events", IDLE_MILLIS, GIVE_UP_MILLIS,
                    progress::line);
            done = events.follow(deadline, e -> {
                JsonNode data = Http.JSON.readTree(e.data());
                if ("metric".equals(e.name())) {
                    progress.metric(data);
                } else if ("status".equals(e.name()) || "end".equals(e.name())) {
                    progress.job(data);
                }
            });
        }
        return finish(retrying(() -> c.http().get(Client.jobPath(jobId))), done);
    }

    int await() {
        jobId = c.args().only("job id");
        String path = Client.jobPath(jobId);
        JsonNode job = retrying(() -> c.http().get(path));
        while (Exit.of(job.path("status").asString("")) < 0 && !deadline.passed()) {
            long wait = Math.max(1, Math.min(60, deadline.leftMillis() / 1000));
            job = retrying(() -> c.http().get(path + "?waitSeconds=" + wait));
        }
        return finish(job, Exit.of(job.path("status").asString("")) >= 0);
    }

    private int finish(JsonNode job, boolean done) {
        if (!over.compareAndSet(false, true)) {
            waitForExit(); // Ctrl-C left the job running and is printing it and exiting 130.
        }
        c.print(job);
        String status = job.path("status").asString("");
        if (!done || Exit.of(status) < 0) {
            progress.line("timed out after " + deadline.timeout().toString().substring(2).toLowerCase(java.util.Locale.ROOT) + "; job " + jobId + " is " + status
                    + " and keeps going (client cancel " + jobId + " stops it)");
            return Exit.CANCELLED_OR_TIMED_OUT;
        }
        progress.job(job); // Says the outcome, unless the end event already did.
        return Exit.of(status);
    }

    private ObjectNode spec(Path file) {
        JsonNode read;
        try {
            read = Http.JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new Exit.Failure("cannot read the spec file " + file + ": " + e.getMessage());
        } catch (JacksonException e) {
            throw new Exit.Failure("the spec file " + file + " is not JSON: " + e.getOriginalMessage());
        }
        if (!(read instanceof ObjectNode spec)) {
            throw new Exit.Failure("the spec file " + file + " must hold a JSON object");
        }
        for (String label : c.args().all("--label")) {
            int eq = label.indexOf('=');
            if (eq <= 0) {
                throw new Exit.Failure("--label must look like key=value, got " + label);
            }
            JsonNode labels = spec.get("labels");
            if (labels != null && !labels.isNull() && !(labels instanceof ObjectNode)) {
                throw new Exit.Failure("the spec's labels must be a JSON object to add --label to");
            }
            ObjectNode target = labels instanceof ObjectNode o ? o : spec.putObject("labels");
            target.put(label.substring(0, eq), label.substring(eq + 1));
        }
        return spec;
    }

    /** POST /api/jobs with the key; a connection error is retried with the same key, so at most one job. */
    private JsonNode submit(String spec, String key) {
        HttpRequest request = c.http().request("/api/jobs").header("Accept", "application/json")
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(spec)).build();
        for (int attempt = 1; ; attempt++) {
            try {
                return c.http().json(request);
            } catch (Http.Unreachable e) {
                if (attempt >= SUBMIT_TRIES || deadline.passed()) {
                    throw e;
                }
                progress.line(e.getMessage() + "; retrying the submit in " + attempt + " s");
                deadline.sleep(attempt * 1000L);
            }
        }
    }

    /** A read that outlives a restarting node: retried with backoff until the deadline or the give-up time. */
    private JsonNode retrying(java.util.function.Supplier<JsonNode> read) {
        long started = System.nanoTime();
        long backoff = 500;
        while (true) {
            try {
                return read.get();
            } catch (Http.Unreachable e) {
                boolean over = deadline.unlimited() ? (System.nanoTime() - started) / 1_000_000 > GIVE_UP_MILLIS : deadline.passed();
                if (over) {
                    throw e;
                }
                progress.line(e.getMessage() + "; retrying in " + backoff + " ms");
                deadline.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    @Override
    public String jobId() {
        return jobId;
    }

    @Override
    public void leave(String reason, boolean exit) {
        String id = jobId;
        if (id == null || !over.compareAndSet(false, true)) {
            return;
        }
        try {
            c.print(c.http().get(Client.jobPath(id)));
        } catch (RuntimeException e) {
            progress.line("could not read job " + id + ": " + e.getMessage());
        }
        progress.line(reason + "; job " + id + " keeps running (client cancel " + id + " stops it)");
        if (exit) {
            System.exit(Interrupt.EXIT);
        }
    }

    @Override
    public void cancel() {
        String id = jobId;
        try {
            JsonNode job = c.http().post(Client.jobPath(id) + "/cancel", "");
            progress.line("job " + id + " " + job.path("status").asString("") + ", cancel requested; waiting for it to stop");
        } catch (RuntimeException e) {
            progress.line("could not cancel job " + id + ": " + e.getMessage() + " (Ctrl-C again leaves it running)");
        }
    }

    private static void waitForExit() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // The JVM is exiting; keep out of its way.
            }
        }
    }
}
