package dev.dojo.prediction;

import dev.dojo.dataset.DatasetUnavailableException;
import dev.dojo.dataset.ImageSet;
import dev.dojo.job.JobService;
import dev.dojo.job.JobSpec;
import dev.dojo.security.Caller;
import dev.dojo.system.DomainProblem;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TestSet;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Images from a classifier job's test set with their true labels, in the shape the predictions endpoint
 * takes, so a client (the web page) can show them and ask the model about them.
 */
@RestController
@Tag(name = "Predictions")
class TestImageController {

    private static final Logger log = LoggerFactory.getLogger(TestImageController.class);

    /** One test image: its index in the test set, its true label, and 28 rows of 28 pixels in [0, 1]. */
    record TestImage(int index, int label, String className, float[][] pixels) {}

    record TestImages(String dataset, int total, List<TestImage> items) {}

    private final JobService jobs;
    private final TaskCatalog tasks;

    TestImageController(JobService jobs, TaskCatalog tasks) {
        this.jobs = jobs;
        this.tasks = tasks;
    }

    @GetMapping(value = "/api/jobs/{id}/test-images", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "mnist, fashion-mnist: test images with true labels, as 28×28 arrays ready to post to /predictions")
    @ApiResponse(responseCode = "200", description = "A page of test images")
    @ApiResponse(responseCode = "404", description = "No job with this id that this key may see, or the job's task has "
            + "no test images (it is not a classifier), or they are not installed on this node")
    TestImages list(@PathVariable String id, @AuthenticationPrincipal Caller caller,
                    @RequestParam(defaultValue = "0") @Min(value = 0, message = "must be 0 or more") int offset,
                    @RequestParam(defaultValue = "24") @Min(value = 1, message = "must be 1 or more") @Max(value = 100, message = "must be 100 or less") int limit) {
        JobSpec spec = jobs.spec(id, caller.visibility()).spec();
        TestSet set;
        try {
            set = tasks.get(spec.task()).testSet().orElseThrow(() -> new DomainProblem(HttpStatus.NOT_FOUND, "No test images",
                    "Job " + id + " is a " + spec.task() + " job; test images exist for classifier tasks such as mnist and fashion-mnist."));
        } catch (DatasetUnavailableException e) {
            // The message says where the files are expected on this machine: that is for the log.
            log.warn("test images of job {}: {}", id, e.getMessage());
            throw new DomainProblem(HttpStatus.NOT_FOUND, "No test images", "The " + spec.task()
                    + " test images are not installed on this node; its log says where they are expected.");
        }
        ImageSet test = set.images();
        List<TestImage> items = new ArrayList<>();
        for (int i = offset; i < Math.min(test.size(), offset + limit); i++) {
            float[][] pixels = new float[test.rows()][test.cols()];
            for (int r = 0; r < test.rows(); r++) {
                for (int c = 0; c < test.cols(); c++) {
                    pixels[r][c] = test.pixel(i, r, c) / 255f;
                }
            }
            items.add(new TestImage(i, test.label(i), set.classes().get(test.label(i)), pixels));
        }
        return new TestImages(spec.task(), test.size(), items);
    }
}
