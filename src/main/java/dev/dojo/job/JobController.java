package dev.dojo.job;

import dev.dojo.queue.JobStatus;
import dev.dojo.security.Caller;
import dev.dojo.training.ModelSummary;
import dev.dojo.training.TaskCatalog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

@RestController
@Tag(name = "Jobs")
class JobController {

    static final int MAX_PAGE = 10_000_000;

    private final JobService jobs;
    private final JobWaits waits;
    private final TaskCatalog tasks;
    private final JobSettings settings;

    JobController(JobService jobs, JobWaits waits, TaskCatalog tasks, JobSettings settings) {
        this.jobs = jobs;
        this.waits = waits;
        this.tasks = tasks;
        this.settings = settings;
    }

    // Every mapping names what it produces, so that an Accept header it cannot satisfy is refused
    // (406) before the handler runs: a submit never queues a job whose answer cannot be sent.
    @PostMapping(value = "/api/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Queue a training job", description = "Omitted fields take the task's defaults; "
            + "{\"task\":\"sine-regression\"} alone is the seed lesson's run. Answers 202 with the job and its Location.")
    @ApiResponse(responseCode = "202", description = "Queued")
    @ApiResponse(responseCode = "400", description = "Invalid spec; `errors` names each field")
    @ApiResponse(responseCode = "429", description = "The tenant's queue is full (maxQueuedJobs); retry after Retry-After seconds")
    @ApiResponse(responseCode = "409", description = "A request with this Idempotency-Key is still being processed",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "This Idempotency-Key was used before with a different spec",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<JobView> submit(@RequestBody(required = false) JobRequest request, @AuthenticationPrincipal Caller caller,
                                   @Parameter(description = "1 to 255 printable ASCII characters. A retry with the same key and spec "
                                           + "answers the job the first request created (Idempotent-Replayed: true) and creates "
                                           + "nothing; remembered per tenant for dojo.jobs.idempotency-ttl (default 24 h)")
                                   @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey) {
        JobService.Submitted submitted = jobs.submit(request, caller, idempotencyKey);
        JobView job = submitted.job();
        ResponseEntity.BodyBuilder answer = ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id()));
        if (submitted.replayed()) {
            answer.header("Idempotent-Replayed", "true");
        }
        return answer.body(job);
    }

    @GetMapping(value = "/api/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List the caller's jobs, newest first, optionally filtered by status and task",
            description = "An admin key sees every tenant's jobs and may filter by tenant; any other key sees its tenant's.")
    PageView<JobView> list(@AuthenticationPrincipal Caller caller,
                           @RequestParam(required = false) @Pattern(regexp = "[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?",
                                   message = "must be a tenant name: lower-case letters, digits and dashes") String tenant,
                           @RequestParam(required = false) JobStatus status,
                           @RequestParam(required = false) @Pattern(regexp = "[a-z0-9-]{1,64}", message = "must be a task name such as sine-regression") String task,
                           @Parameter(description = "key=value, e.g. git.sha=abc123: only jobs carrying that label; repeat it (up to 32 times) "
                                   + "for jobs carrying every one")
                           @RequestParam(required = false) List<String> label,
                           // page × size must stay within the database's row offsets (2^31 - 1) at the largest size.
                           @RequestParam(defaultValue = "0") @Min(value = 0, message = "must be 0 or more")
                           @Max(value = MAX_PAGE, message = "must be " + MAX_PAGE + " or less") int page,
                           @RequestParam(defaultValue = "20") @Min(value = 1, message = "must be 1 or more") @Max(value = 200, message = "must be 200 or less") int size) {
        return jobs.list(caller.visibility(), tenant, status, task, Labels.filter(label), page, size);
    }

    @GetMapping(value = "/api/jobs/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One job; with waitSeconds, long-polls until the job ends or the time is up")
    @ApiResponse(responseCode = "200", description = "The job: at once, or when it ends, or when waitSeconds are up")
    @ApiResponse(responseCode = "429", description = "This node already holds dojo.limits.max-long-polls long polls, or the tenant dojo.limits.max-long-polls-per-tenant; retry after Retry-After seconds",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    DeferredResult<JobView> get(@PathVariable String id, @AuthenticationPrincipal Caller caller,
                @Parameter(description = "Wait up to this many seconds (0 to 600) for the job to end")
                @RequestParam(defaultValue = "0") @Min(value = 0, message = "must be 0 or more") @Max(value = 600, message = "must be 600 or less") int waitSeconds) {
        return waits.await(id, caller.visibility(), caller.tenant(), waitSeconds);
    }

    @PostMapping(value = "/api/jobs/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Cancel a job", description = "200 when the job is CANCELLED (a queued job never starts; "
            + "a running one stops within a step), 202 when a running job's worker has not confirmed yet, "
            + "409 when the job had already ended (nothing changes).")
    @ApiResponse(responseCode = "200", description = "The job is CANCELLED")
    @ApiResponse(responseCode = "202", description = "Cancel asked: the running job's worker has not confirmed yet")
    @ApiResponse(responseCode = "409", description = "The job had already ended; `jobStatus` says how, and nothing changed")
    DeferredResult<ResponseEntity<JobView>> cancel(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        return waits.cancel(id, caller.visibility(), caller.tenant(), settings.cancelWaitSeconds());
    }

    @GetMapping(value = "/api/jobs/{id}/model", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The job's network: layers, each parameter's name and shape, and the total count")
    ModelSummary model(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        JobSpec spec = jobs.spec(id, caller.visibility()).spec();
        return ModelSummary.of(tasks.get(spec.task()), spec.training());
    }
}
