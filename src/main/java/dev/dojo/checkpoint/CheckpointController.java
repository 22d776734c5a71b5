package dev.dojo.checkpoint;

import dev.dojo.security.Caller;
import dev.dojo.job.JobService;
import dev.dojo.system.DomainProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
@Tag(name = "Checkpoints")
class CheckpointController {

    private final CheckpointStore store;
    private final JobService jobs;

    CheckpointController(CheckpointStore store, JobService jobs) {
        this.store = store;
        this.jobs = jobs;
    }

    @GetMapping(value = "/api/jobs/{id}/checkpoints", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List a job's checkpoints, oldest first")
    List<CheckpointInfo> list(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        jobs.requireVisible(id, caller.visibility());
        return store.list(id);
    }

    @GetMapping(value = "/api/jobs/{id}/checkpoints/{number}", produces = {MediaType.APPLICATION_OCTET_STREAM_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    @Operation(summary = "Download one checkpoint (a ZIP: checkpoint.properties, parameters.djl, optimizer.ndlist)")
    ResponseEntity<StreamingResponseBody> download(@PathVariable String id, @AuthenticationPrincipal Caller caller, @PathVariable int number) {
        jobs.requireVisible(id, caller.visibility());
        CheckpointInfo info = store.find(id, number).orElseThrow(() -> new DomainProblem(HttpStatus.NOT_FOUND,
                "Checkpoint not found", "Job " + id + " has no checkpoint " + number + "."));
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(info.sizeBytes())
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-checkpoint-" + number + ".zip\"")
                .header("X-Checkpoint-Sha256", info.sha256())
                .body(out -> store.copyTo(id, number, out));
    }
}
