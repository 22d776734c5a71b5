package dev.dojo.compare;

import dev.dojo.job.JobService;
import dev.dojo.job.JobView;
import dev.dojo.job.PageView;
import dev.dojo.metric.MetricStore;
import dev.dojo.queue.JobStatus;
import dev.dojo.queue.TenantScope;
import dev.dojo.system.DomainProblem;
import dev.dojo.system.Echo;
import dev.dojo.training.TaskCatalog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what a comparison shows: the jobs (named, or a sweep's trials), each one's points of one
 * metric, and a name for each run that says what differs from the others.
 */
@Service
class Comparisons {

    /** More runs than this make a chart nobody can read. */
    static final int MAX_JOBS = 20;
    /** Points per series unless the request asks for fewer or more (up to {@link #MAX_POINTS}); longer series are thinned. */
    static final int DEFAULT_POINTS = 1000;
    static final int MAX_POINTS = 2000;
    static final int MIN_POINTS = 2;
    /** The label the sweep controller puts on each trial job. */
    static final String SWEEP_LABEL = "sweep";

    private static final Pattern METRIC = Pattern.compile("[a-z0-9_]{1,100}");
    private static final Pattern SWEEP_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final JobService jobs;
    private final MetricStore metrics;
    private final TaskCatalog tasks;
    private final JsonMapper json;

    Comparisons(JobService jobs, MetricStore metrics, TaskCatalog tasks, JsonMapper json) {
        this.jobs = jobs;
        this.metrics = metrics;
        this.tasks = tasks;
        this.json = json;
    }

    /** One point of a series. */
    record Point(long step, double value) {}

    /** One run: its job, the name that tells it from the others, where it stands and its points. */
    record Series(String jobId, String name, String task, JobStatus status, List<Point> points) {}

    /**
     * The answer: the metric, the sweep when the runs are a sweep's trials, the spec paths whose values
     * differ between the runs, and one series per run (in the order asked, or a sweep's in trial order).
     * {@code total} counts the sweep's trials, of which the newest {@link #MAX_JOBS} are shown.
     */
    record Comparison(String metric, String sweep, List<String> differing, List<Series> series, int total, int maxPoints) {}

    /** What the request asked for, checked: exactly one of {@code jobs} and {@code sweep}. */
    record Request(List<String> jobIds, String sweep, String metric, int maxPoints) {

        static Request of(String jobs, String sweep, String metric, Integer points) {
            if ((jobs == null) == (sweep == null)) {
                throw DomainProblem.badField("Invalid comparison", jobs == null ? "jobs" : "sweep",
                        "give exactly one of jobs (comma-separated job ids) and sweep (a sweep id)");
            }
            List<String> ids = null;
            if (jobs != null) {
                Set<String> unique = new LinkedHashSet<>();
                for (String id : jobs.split(",", -1)) {
                    String trimmed = id.trim();
                    if (!JOB_ID.matcher(trimmed).matches()) {
                        throw DomainProblem.badField("Invalid comparison", "jobs",
                                "must be job ids separated by commas, was " + Echo.quoted(jobs));
                    }
                    unique.add(trimmed);
                }
                if (unique.size() > MAX_JOBS) {
                    throw DomainProblem.badField("Invalid comparison", "jobs", "must name at most " + MAX_JOBS + " jobs, named " + unique.size());
                }
                ids = List.copyOf(unique);
            } else if (!SWEEP_ID.matcher(sweep).matches()) {
                throw DomainProblem.badField("Invalid comparison", "sweep", "must be a sweep id (1 to 128 letters, digits, '.', '_', ':' or '-'), was "
                        + Echo.quoted(sweep));
            }
            if (metric == null || !METRIC.matcher(metric).matches()) {
                throw DomainProblem.badField("Invalid comparison", "metric", "must be a snake_case metric name such as train_loss, was "
                        + Echo.quoted(metric));
            }
            int max = points == null ? DEFAULT_POINTS : points;
            if (max < MIN_POINTS || max > MAX_POINTS) {
                throw DomainProblem.badField("Invalid comparison", "points", "must be " + MIN_POINTS + " to " + MAX_POINTS + ", was " + max);
            }
            return new Request(ids, sweep, metric, max);
        }
    }

    Comparison compare(Request request, TenantScope scope) {
        List<JobView> runs;
        int total;
        if (request.jobIds() != null) {
            // Each one a 404 when the caller does not see it, exactly as GET /api/jobs/{id}.
            runs = request.jobIds().stream().map(id -> jobs.get(id, scope)).toList();
            total = runs.size();
        } else {
            PageView<JobView> page = jobs.list(scope, null, null, null, Map.of(SWEEP_LABEL, request.sweep()), 0, MAX_JOBS);
            if (page.items().isEmpty()) {
                throw new DomainProblem(HttpStatus.NOT_FOUND, "Sweep not found",
                        "No job carries the label sweep=" + Echo.of(request.sweep()) + " that this key may see.");
            }
            runs = page.items().stream().sorted(Comparator.comparing(JobView::createdAt).thenComparing(JobView::id)).toList();
            total = (int) page.totalItems();
        }
        checkMetric(request.metric(), runs);
        List<JsonNode> specs = runs.stream().map(r -> (JsonNode) json.valueToTree(r.spec())).toList();
        List<String> names = SpecDiff.names(specs, runs.stream().map(JobView::id).toList());
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            JobView run = runs.get(i);
            List<Point> points = metrics.series(run.id(), request.metric(), request.maxPoints()).stream()
                    .map(p -> new Point((long) p[0], p[1])).toList();
            series.add(new Series(run.id(), names.get(i), run.task(), run.status(), points));
        }
        return new Comparison(request.metric(), request.sweep(), SpecDiff.differing(specs), series, total, request.maxPoints());
    }

    /**
     * A metric none of the runs' tasks records is a 400 naming {@code metric}; one some task records
     * but a run has not recorded (yet, or ever, for a task that does not) is an empty series.
     */
    private void checkMetric(String metric, List<JobView> runs) {
        Set<String> recorded = new TreeSet<>();
        runs.stream().map(JobView::task).distinct().forEach(t -> tasks.find(t).ifPresent(task -> recorded.addAll(task.metrics())));
        if (!recorded.contains(metric)) {
            throw DomainProblem.badField("Invalid comparison", "metric", "no compared job's task records " + Echo.quoted(metric)
                    + "; they record " + recorded);
        }
    }
}
