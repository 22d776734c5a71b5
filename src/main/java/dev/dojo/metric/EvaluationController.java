package dev.dojo.metric;

import dev.dojo.job.JobService;
import dev.dojo.system.DomainProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Metrics")
class EvaluationController {

    private final JdbcTemplate jdbc;
    private final JobService jobs;

    EvaluationController(JdbcTemplate jdbc, JobService jobs) {
        this.jdbc = jdbc;
        this.jobs = jobs;
    }

    @GetMapping(value = "/api/jobs/{id}/evaluation", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A classifier's final evaluation on the whole test set: confusion matrix (rows true, "
            + "columns predicted), accuracy and accuracy per class. 404 until the job has finished its last epoch.")
    String evaluation(@PathVariable String id) {
        jobs.requireExists(id);
        List<String> json = jdbc.queryForList("SELECT evaluation_json FROM training_job WHERE id = ?", String.class, id);
        if (json.isEmpty() || json.get(0) == null) {
            throw new DomainProblem(HttpStatus.NOT_FOUND, "No evaluation yet",
                    "Job " + id + " has no evaluation: classifier jobs get one when their last epoch ends.");
        }
        return json.get(0);
    }
}
