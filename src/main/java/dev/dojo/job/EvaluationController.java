package dev.dojo.job;

import dev.dojo.security.Caller;
import dev.dojo.queue.JobRecords;
import dev.dojo.system.DomainProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Metrics")
class EvaluationController {

    private final JobRecords jobs;

    EvaluationController(JobRecords jobs) {
        this.jobs = jobs;
    }

    @GetMapping(value = "/api/jobs/{id}/evaluation", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A classifier's final evaluation on the whole test set: confusion matrix (rows true, "
            + "columns predicted), accuracy and accuracy per class. 404 until the job has finished its last epoch.")
    @ApiResponse(responseCode = "200", description = "The evaluation")
    @ApiResponse(responseCode = "404", description = "No job with this id that this key may see, or the job has no "
            + "evaluation yet (classifier jobs get one when their last epoch ends)")
    String evaluation(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        jobs.requireVisible(id, caller.visibility());
        return jobs.evaluationJson(id).orElseThrow(() -> new DomainProblem(HttpStatus.NOT_FOUND, "No evaluation yet",
                "Job " + id + " has no evaluation: classifier jobs get one when their last epoch ends."));
    }
}
