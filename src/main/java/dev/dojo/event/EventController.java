package dev.dojo.event;

import dev.dojo.job.JobService;
import dev.dojo.system.DomainProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@Tag(name = "Events")
class EventController implements DisposableBean {

    private final JobService jobs;
    private final EventRows rows;
    private final EventSettings settings;
    private final ScheduledExecutorService pollers;

    EventController(JobService jobs, EventRows rows, EventSettings settings) {
        this.jobs = jobs;
        this.rows = rows;
        this.settings = settings;
        this.pollers = Executors.newScheduledThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "job-events");
            t.setDaemon(true);
            return t;
        });
    }

    @GetMapping("/api/jobs/{id}/events")
    @Operation(summary = "Server-Sent Events of a job: status, metric, checkpoint, then end; resumable with Last-Event-ID")
    SseEmitter events(@PathVariable String id,
                      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
                      @RequestParam(name = "lastEventId", required = false) String lastEventIdQuery) {
        jobs.requireExists(id);
        Cursor from;
        try {
            from = Cursor.parse(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdQuery);
        } catch (IllegalArgumentException e) {
            throw new DomainProblem(HttpStatus.BAD_REQUEST, "Invalid event id", e.getMessage(),
                    Map.of("errors", List.of(Map.of("field", "Last-Event-ID", "message", e.getMessage()))));
        }
        SseEmitter emitter = new SseEmitter(settings.maxDuration().toMillis());
        JobStream stream = new JobStream(id, from, emitter, jobs, rows, settings.heartbeat().toNanos());
        long every = settings.pollInterval().toMillis();
        stream.scheduledAs(pollers.scheduleWithFixedDelay(stream::poll, 0, every, TimeUnit.MILLISECONDS));
        return emitter;
    }

    @Override
    public void destroy() {
        pollers.shutdownNow();
    }
}
