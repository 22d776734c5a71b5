package dev.dojo.event;

import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.job.JobView;
import dev.dojo.metric.MetricStore;
import dev.dojo.system.DomainProblem;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** One client's stream of one job: each poll sends what the database holds beyond the cursor. */
final class JobStream {

    private static final Logger log = LoggerFactory.getLogger(JobStream.class);

    private final String jobId;
    private final SseEmitter emitter;
    /** Metric rows read per query; a stream catching up reads page after page in one poll. */
    static final int PAGE = 1000;

    private final Pulses pulses;
    private final MetricStore metrics;
    private final CheckpointStore checkpoints;
    private final long heartbeatNanos;
    private Cursor cursor;
    private long lastSentNanos = System.nanoTime();
    private volatile boolean closed;
    private volatile ScheduledFuture<?> task;

    JobStream(String jobId, Cursor from, SseEmitter emitter, Pulses pulses, MetricStore metrics, CheckpointStore checkpoints,
              long heartbeatNanos) {
        this.jobId = jobId;
        this.cursor = from;
        this.emitter = emitter;
        this.pulses = pulses;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.heartbeatNanos = heartbeatNanos;
        emitter.onCompletion(this::close);
        // At its maximum duration the stream ends cleanly; the client reconnects with Last-Event-ID.
        emitter.onTimeout(() -> {
            close();
            emitter.complete();
        });
        emitter.onError(e -> close());
    }

    void scheduledAs(ScheduledFuture<?> future) {
        this.task = future;
        if (closed) {
            future.cancel(false);
        }
    }

    /** One poll. Never throws: the scheduler would silently stop calling it. */
    synchronized void poll() {
        if (closed) {
            return;
        }
        try {
            // The job was read before the pulse's row ids and before the reads below: when it has
            // ended, every row it wrote is visible to them.
            Pulses.Pulse pulse = pulses.of(jobId);
            JobView job = pulse.job();
            boolean news = pulse.lastMetricId() > cursor.metricId() || pulse.lastCheckpointId() > cursor.checkpointId()
                    || !Cursor.state(job).equals(cursor.state()) || job.status().isTerminal();
            if (!news) {
                heartbeatIfQuiet();
                return;
            }
            List<MetricStore.Row> rows;
            do {
                rows = metrics.after(jobId, cursor.metricId(), PAGE);
                Set<ResponseBodyEmitter.DataWithMediaType> batch = new LinkedHashSet<>();
                for (MetricStore.Row m : rows) {
                    cursor = cursor.metric(m.id());
                    batch.addAll(event("metric", m));
                }
                send(batch);
            } while (rows.size() == PAGE);
            Set<ResponseBodyEmitter.DataWithMediaType> batch = new LinkedHashSet<>();
            for (CheckpointStore.Row c : checkpoints.after(jobId, cursor.checkpointId())) {
                cursor = cursor.checkpoint(c.id());
                batch.addAll(event("checkpoint", c));
            }
            String state = Cursor.state(job);
            if (!state.equals(cursor.state())) {
                cursor = cursor.state(state);
                batch.addAll(event("status", job));
            }
            if (job.status().isTerminal()) {
                batch.addAll(event("end", job));
                send(batch);
                close();
                emitter.complete();
                return;
            }
            send(batch);
            heartbeatIfQuiet();
        } catch (IOException | IllegalStateException e) {
            // The client went away or the emitter already completed; completing it (again) runs the
            // callbacks that give the stream's place on this node back.
            close();
            try {
                emitter.completeWithError(e);
            } catch (RuntimeException alreadyDone) {
                // Completed before: its callbacks ran then.
            }
        } catch (DomainProblem e) {
            close();
            emitter.complete();
        } catch (DataAccessException | TransactionException e) {
            log.warn("event stream of job {} could not read the database; retrying: {}", jobId, e.getMessage());
        } catch (RuntimeException e) {
            log.error("event stream of job {} failed", jobId, e);
            close();
            emitter.completeWithError(e);
        }
    }

    /**
     * Ends the stream now, without an {@code end} event (the job goes on): the node is stopping, and
     * the client resumes from its last event id, on this address, once another node answers there.
     */
    synchronized void endForShutdown() {
        if (closed) {
            return;
        }
        close();
        try {
            emitter.complete();
        } catch (RuntimeException alreadyDone) {
            // The client went away at the same moment.
        }
    }

    private void heartbeatIfQuiet() throws IOException {
        if (System.nanoTime() - lastSentNanos > heartbeatNanos) {
            send(SseEmitter.event().comment("heartbeat").build());
        }
    }

    private Set<ResponseBodyEmitter.DataWithMediaType> event(String name, Object data) {
        return SseEmitter.event().id(cursor.toString()).name(name).data(data, MediaType.APPLICATION_JSON).build();
    }

    private void send(Set<ResponseBodyEmitter.DataWithMediaType> batch) throws IOException {
        if (!batch.isEmpty()) {
            // One send per batch: the servlet response is flushed once, not once per row.
            emitter.send(batch);
            lastSentNanos = System.nanoTime();
        }
    }

    private void close() {
        closed = true;
        ScheduledFuture<?> f = task;
        if (f != null) {
            f.cancel(false);
        }
    }
}
