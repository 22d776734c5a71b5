package dev.dojo.compare;

import dev.dojo.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Compare")
class CompareController {

    private static final MediaType SVG = MediaType.valueOf("image/svg+xml");
    private static final String JOBS = "Comma-separated ids of up to 20 jobs; give this or sweep";
    private static final String SWEEP = "A sweep id: its trials, the jobs labelled sweep=<id> (the newest 20); give this or jobs";
    private static final String METRIC = "The metric to compare; one the jobs' tasks record (GET /api/tasks lists them)";
    private static final String POINTS = "At most this many points per series (2 to 2000); longer series are thinned, keeping the last";

    private final Comparisons comparisons;

    CompareController(Comparisons comparisons) {
        this.comparisons = comparisons;
    }

    @GetMapping(value = "/api/compare", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One metric of several jobs side by side, each named by what differs between their specs",
            description = "A job's name lists the spec values that differ between the compared jobs (loss=l1, hiddenUnits=[512,512]); "
                    + "its id where nothing differs. A metric no compared job's task records is a 400; one a job has not recorded "
                    + "yet is an empty series.")
    @ApiResponse(responseCode = "200", description = "The series")
    @ApiResponse(responseCode = "404", description = "A job this key may not see, or a sweep none of whose trials it sees",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    Comparisons.Comparison compare(@AuthenticationPrincipal Caller caller,
                                   @Parameter(description = JOBS) @RequestParam(required = false) String jobs,
                                   @Parameter(description = SWEEP) @RequestParam(required = false) String sweep,
                                   @Parameter(description = METRIC) @RequestParam(defaultValue = "train_loss") String metric,
                                   @Parameter(description = POINTS) @RequestParam(required = false) Integer points) {
        return comparisons.compare(Comparisons.Request.of(jobs, sweep, metric, points), caller.visibility());
    }

    @GetMapping(value = "/api/compare/plot.svg", produces = "image/svg+xml")
    @Operation(summary = "The comparison drawn as one SVG chart, its legend naming each run by what differs")
    @ApiResponse(responseCode = "200", description = "The chart")
    @ApiResponse(responseCode = "404", description = "A job this key may not see, or a sweep none of whose trials it sees",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<String> plot(@AuthenticationPrincipal Caller caller,
                                @Parameter(description = JOBS) @RequestParam(required = false) String jobs,
                                @Parameter(description = SWEEP) @RequestParam(required = false) String sweep,
                                @Parameter(description = METRIC) @RequestParam(defaultValue = "train_loss") String metric,
                                @Parameter(description = POINTS) @RequestParam(required = false) Integer points) {
        String svg = ComparePlot.render(comparisons.compare(Comparisons.Request.of(jobs, sweep, metric, points), caller.visibility()));
        // No caching: the runs may still be training.
        return ResponseEntity.ok().contentType(SVG).cacheControl(CacheControl.noStore()).body(svg);
    }
}
