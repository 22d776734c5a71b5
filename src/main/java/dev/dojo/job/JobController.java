package dev.dojo.job;

import dev.dojo.training.ModelSummary;
import dev.dojo.training.TaskCatalog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Jobs")
class JobController {

    private final JobService jobs;
    private final TaskCatalog tasks;

    JobController(JobService jobs, TaskCatalog tasks) {
        this.jobs = jobs;
        this.tasks = tasks;
    }

    @PostMapping("/api/jobs")
    @Operation(summary = "Queue a training job", description = "Omitted fields take the task's defaults; "
            + "{\"task\":\"sine-regression\"} alone is the seed lesson's run. Answers 202 with the job and its Location.")
    @ApiResponse(responseCode = "202", description = "Queued")
    @ApiResponse(responseCode = "400", description = "Invalid spec; `errors` names each field")
    ResponseEntity<JobView> submit(@RequestBody(required = false) JobRequest request) {
        JobView job = jobs.submit(request);
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id())).body(job);
    }

    @GetMapping("/api/jobs")
    @Operation(summary = "List jobs, newest first, optionally filtered by status and task")
    PageView<JobView> list(@RequestParam(required = false) JobStatus status,
                           @RequestParam(required = false) String task,
                           @RequestParam(defaultValue = "0") @Min(value = 0, message = "must be 0 or more") int page,
                           @RequestParam(defaultValue = "20") @Min(value = 1, message = "must be 1 or more") @Max(value = 200, message = "must be 200 or less") int size) {
        return jobs.list(status, task, page, size);
    }

    @GetMapping("/api/jobs/{id}")
    @Operation(summary = "One job; with waitSeconds, long-polls until the job ends or the time is up")
    JobView get(@PathVariable String id,
                @Parameter(description = "Wait up to this many seconds (0 to 600) for the job to end")
                @RequestParam(defaultValue = "0") @Min(value = 0, message = "must be 0 or more") @Max(value = 600, message = "must be 600 or less") int waitSeconds)
            throws InterruptedException {
        return waitSeconds == 0 ? jobs.get(id) : jobs.await(id, waitSeconds);
    }

    @PostMapping("/api/jobs/{id}/cancel")
    @Operation(summary = "Cancel a job", description = "200 when the job is CANCELLED (a queued job never starts; "
            + "a running one stops within a step), 202 when a running job's worker has not confirmed yet, "
            + "409 when the job had already ended (nothing changes).")
    ResponseEntity<JobView> cancel(@PathVariable String id) throws InterruptedException {
        JobService.CancelResult result = jobs.cancel(id);
        return ResponseEntity.status(result.completed() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(result.job());
    }

    @GetMapping("/api/jobs/{id}/model")
    @Operation(summary = "The job's network: layers, each parameter's name and shape, and the total count")
    ModelSummary model(@PathVariable String id) {
        JobSpec spec = jobs.spec(id);
        return ModelSummary.of(tasks.get(spec.task()), spec.training());
    }
}
