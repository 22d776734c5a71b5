package dev.dojo.metric;

import dev.dojo.job.JobService;
import dev.dojo.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Metrics")
class MetricController {

    private final MetricStore metrics;
    private final JobService jobs;

    MetricController(MetricStore metrics, JobService jobs) {
        this.metrics = metrics;
        this.jobs = jobs;
    }

    /** A page of metrics in step order; pass the last item's step as {@code afterStep} for the next page. */
    record MetricPage(List<MetricPoint> items, Long nextAfterStep) {}

    @GetMapping(value = "/api/jobs/{id}/metrics", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Metric points of a job in step order, paged by step")
    MetricPage list(@PathVariable String id, @AuthenticationPrincipal Caller caller,
                    @RequestParam(required = false) @Pattern(regexp = "[a-z0-9_]{1,100}", message = "must be a snake_case metric name") String name,
                    @RequestParam(defaultValue = "0") @Min(value = 0, message = "must be 0 or more") long afterStep,
                    @RequestParam(defaultValue = "1000") @Min(value = 1, message = "must be 1 or more") @Max(value = 10000, message = "must be 10000 or less") int limit) {
        jobs.requireVisible(id, caller.visibility());
        List<MetricPoint> items = metrics.page(id, name, afterStep, limit + 1);
        if (items.size() <= limit) {
            return new MetricPage(items, null);
        }
        // A step can hold several metrics; only hand out a cursor at a step boundary.
        List<MetricPoint> page = items.subList(0, limit);
        long lastStep = page.get(page.size() - 1).step();
        if (items.get(limit).step() == lastStep) {
            page = page.stream().filter(p -> p.step() < lastStep).toList();
            if (page.isEmpty()) {
                page = items.subList(0, limit);
            }
        }
        return new MetricPage(page, page.get(page.size() - 1).step());
    }
}
