package dev.dojo.event;

import dev.dojo.job.JobService;
import dev.dojo.job.JobView;
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
    private final JobService jobs;
    private final EventRows rows;
    private final long heartbeatNanos;
    private Cursor cursor;
    private long lastSentNanos = System.nanoTime();
    private volatile boolean closed;
    private volatile ScheduledFuture<?> task;

    JobStream(String jobId, Cursor from, SseEmitter emitter, JobService jobs, EventRows rows, long heartbeatNanos) {
        this.jobId = jobId;
        this.cursor = from;
        this.emitter = emitter;
        this.jobs = jobs;
        this.rows = rows;
        this.heartbeatNanos = heartbeatNanos;
        emitter.onCompletion(this::close);
        emitter.onTimeout(this::close);
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
            // The job first: when it is already terminal, every row it wrote is visible to the reads below.
            JobView job = jobs.get(jobId);
            List<EventRows.Metric> metrics;
            do {
                metrics = rows.metricsAfter(jobId, cursor.metricId());
                Set<ResponseBodyEmitter.DataWithMediaType> batch = new LinkedHashSet<>();
                for (EventRows.Metric m : metrics) {
                    cursor = cursor.metric(m.id());
                    batch.addAll(event("metric", m));
                }
                send(batch);
            } while (metrics.size() == EventRows.PAGE);
            Set<ResponseBodyEmitter.DataWithMediaType> batch = new LinkedHashSet<>();
            for (EventRows.Checkpoint c : rows.checkpointsAfter(jobId, cursor.checkpointId())) {
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
            if (System.nanoTime() - lastSentNanos > heartbeatNanos) {
                send(SseEmitter.event().comment("heartbeat").build());
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away or the emitter already completed.
            close();
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
