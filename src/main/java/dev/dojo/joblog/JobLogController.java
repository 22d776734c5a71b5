package dev.dojo.joblog;

import dev.dojo.security.Caller;
import dev.dojo.job.JobService;
import dev.dojo.system.FilePaths;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Jobs")
class JobLogController {

    /** A page of log lines; pass {@code nextAfterId} back as {@code afterId} to follow the log. */
    record LogPage(List<JobLogStore.Line> lines, Long nextAfterId) {}

    private final JobLogStore logs;
    private final JobService jobs;

    JobLogController(JobLogStore logs, JobService jobs) {
        this.logs = logs;
        this.jobs = jobs;
    }

    @GetMapping(value = "/api/jobs/{id}/logs", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The job's log lines, oldest first: start, resume point, epochs, checkpoints, errors, end",
            description = "Without afterId: the last `limit` lines. With afterId: the next `limit` lines after it. "
                    + "Each line names the attempt that wrote it.")
    LogPage logs(@PathVariable String id, @AuthenticationPrincipal Caller caller,
                 @Parameter(description = "Only lines after this id (the nextAfterId of the previous page)")
                 @RequestParam(required = false) @Min(value = 0, message = "must be 0 or more") Long afterId,
                 @RequestParam(defaultValue = "1000") @Min(value = 1, message = "must be 1 or more")
                 @Max(value = 1000, message = "must be 1000 or less") int limit) {
        jobs.requireVisible(id, caller.visibility());
        // Lines can quote a data path of the worker's machine: answers show only its last segment.
        List<JobLogStore.Line> lines = logs.read(id, afterId, limit).stream()
                .map(l -> new JobLogStore.Line(l.id(), l.attempt(), l.at(), l.level(), FilePaths.redact(l.message())))
                .toList();
        Long next = lines.isEmpty() ? afterId : Long.valueOf(lines.get(lines.size() - 1).id());
        return new LogPage(lines, next);
    }
}
