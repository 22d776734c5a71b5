package dev.dojo.event;

import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.job.JobService;
import dev.dojo.metric.MetricStore;
import dev.dojo.security.Caller;
import dev.dojo.system.DomainProblem;
import dev.dojo.system.OpenRequests;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The job event streams. When the node stops, it ends every open stream at once (before the web
 * server's graceful shutdown, which would otherwise wait for them up to its timeout) and answers new
 * ones with a 503 problem: each client resumes from its last event id when the address answers again.
 */
@RestController
@Tag(name = "Events")
class EventController implements DisposableBean, SmartLifecycle {

    private final JobService jobs;
    private final MetricStore metrics;
    private final CheckpointStore checkpoints;
    private final EventSettings settings;
    private final OpenRequests open;
    private final Pulses pulses;
    private final ScheduledExecutorService pollers;
    private final Set<JobStream> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    EventController(JobService jobs, MetricStore metrics, CheckpointStore checkpoints, EventSettings settings, OpenRequests open,
                    Pulses pulses) {
        this.jobs = jobs;
        this.metrics = metrics;
        this.checkpoints = checkpoints;
        this.pulses = pulses;
        this.settings = settings;
        this.open = open;
        this.pollers = Executors.newScheduledThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "job-events");
            t.setDaemon(true);
            return t;
        });
    }

    @GetMapping(value = "/api/jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Server-Sent Events of a job: status, metric, checkpoint, then end; resumable with Last-Event-ID")
    @ApiResponse(responseCode = "200", description = "The stream of events")
    @ApiResponse(responseCode = "429", description = "This node already has dojo.limits.max-event-streams streams open, or the tenant dojo.limits.max-event-streams-per-tenant; retry after Retry-After seconds",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "This node is stopping; retry after Retry-After seconds with Last-Event-ID",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    SseEmitter events(@PathVariable String id, @AuthenticationPrincipal Caller caller,
                      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
                      @RequestParam(name = "lastEventId", required = false) String lastEventIdQuery) {
        Cursor from = cursor(lastEventIdHeader != null ? "Last-Event-ID" : "lastEventId",
                lastEventIdHeader != null ? lastEventIdHeader : lastEventIdQuery);
        jobs.requireVisible(id, caller.visibility());
        if (!running) {
            throw DomainProblem.shuttingDown("This node is stopping; reconnect with Last-Event-ID.");
        }
        OpenRequests.Permit permit = open.open(OpenRequests.Kind.EVENT_STREAM, caller.tenant());
        SseEmitter emitter = new SseEmitter(settings.maxDuration().toMillis());
        JobStream stream = new JobStream(id, from, emitter, pulses, metrics, checkpoints, settings.heartbeat().toNanos());
        streams.add(stream);
        Runnable ended = () -> {
            permit.release();
            streams.remove(stream);
        };
        emitter.onCompletion(ended);
        emitter.onTimeout(ended);
        emitter.onError(e -> ended.run());
        long every = settings.pollInterval().toMillis();
        stream.scheduledAs(pollers.scheduleWithFixedDelay(stream::poll, 0, every, TimeUnit.MILLISECONDS));
        if (!running) {
            // stop() ran while this stream was being set up.
            stream.endForShutdown();
        }
        return emitter;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        for (JobStream stream : streams) {
            stream.endForShutdown();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static Cursor cursor(String field, String value) {
        try {
            return Cursor.parse(value);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new DomainProblem(HttpStatus.BAD_REQUEST, "Invalid event id", field + ": " + message,
                    Map.of("errors", List.of(Map.of("field", field, "message", message))));
        }
    }

    @Override
    public void destroy() {
        pollers.shutdownNow();
    }
}
