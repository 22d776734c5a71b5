package dev.dojo.retention;

import dev.dojo.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Jobs")
class JobDeleteController {

    private final JobDeletion deletion;

    JobDeleteController(JobDeletion deletion) {
        this.deletion = deletion;
    }

    @DeleteMapping("/api/jobs/{id}")
    @Operation(summary = "Delete an ended job with its metrics, checkpoints, logs and attempts",
            description = "Only a job that has ended (SUCCEEDED, FAILED or CANCELLED) can be deleted; a queued or running one "
                    + "is a 409: cancel it first. Nothing of the job remains.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "409", description = "The job is still queued or running; `jobStatus` says which",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<Void> delete(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        deletion.delete(id, caller.visibility());
        return ResponseEntity.noContent().build();
    }
}
