package dev.dojo.sweep;

import dev.dojo.job.JobView;
import dev.dojo.queue.JobStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A sweep as read at one moment: its row, its plan, its trial rows and each trial's job (by trial
 * number, found by the labels {@code sweep} and {@code sweep-trial}). The view and the driver's
 * decisions are both made from one.
 */
record Snapshot(SweepStore.Sweep sweep, Plan plan, List<SweepStore.Trial> trials, Map<Integer, JobView> jobs) {

    private static final TypeReference<LinkedHashMap<String, JsonNode>> PARAMETERS = new TypeReference<>() {};

    /** One trial with its job, if submitted yet. */
    record TrialState(SweepStore.Trial row, JobView job) {

        /** The job's status; a trial whose job is not submitted yet counts as queued. */
        JobStatus status() {
            return job == null ? JobStatus.QUEUED : job.status();
        }

        boolean live() {
            return !status().isTerminal();
        }

        Double objective(String metric) {
            JobView.LatestMetric latest = job == null || job.latestMetrics() == null ? null : job.latestMetrics().get(metric);
            return latest == null ? null : latest.value();
        }
    }

    List<TrialState> states() {
        List<TrialState> states = new ArrayList<>();
        for (SweepStore.Trial t : trials) {
            JobView job = jobs.get(t.number());
            states.add(new TrialState(t, job));
        }
        return states;
    }

    SweepView view(JsonMapper json) {
        String metric = plan.objective().metric();
        List<SweepView.TrialView> views = states().stream().map(s -> trialView(s, metric, json)).toList();
        int queued = 0;
        int running = 0;
        int succeeded = 0;
        int failed = 0;
        int cancelled = 0;
        int stopped = 0;
        for (TrialState s : states()) {
            switch (s.status()) {
                case QUEUED -> queued++;
                case RUNNING -> running++;
                case SUCCEEDED -> succeeded++;
                case FAILED -> failed++;
                case CANCELLED -> {
                    if (s.row().stoppedBy() != null) {
                        stopped++;
                    } else {
                        cancelled++;
                    }
                }
            }
        }
        SweepView.TrialView best = best().map(s -> trialView(s, metric, json)).orElse(null);
        return new SweepView(sweep.id(), sweep.tenant(), sweep.status(), sweep.reason(), sweep.createdAt(), sweep.endedAt(),
                plan.algorithm(), plan.objective(), plan.maxTrials(), plan.parallelism(),
                new SweepView.Counts(queued, running, succeeded, failed, cancelled, stopped), best, views, json.readTree(sweep.requestJson()));
    }

    /** The succeeded trial with the best objective value (the lowest number among equals), if any succeeded with one. */
    Optional<TrialState> best() {
        String metric = plan.objective().metric();
        Comparator<TrialState> better = (a, b) -> {
            double x = a.objective(metric);
            double y = b.objective(metric);
            return plan.objective().better(x, y) ? -1 : plan.objective().better(y, x) ? 1 : Integer.compare(a.row().number(), b.row().number());
        };
        return states().stream().filter(s -> s.status() == JobStatus.SUCCEEDED && s.objective(metric) != null).min(better);
    }

    private static SweepView.TrialView trialView(TrialState s, String metric, JsonMapper json) {
        return new SweepView.TrialView(s.row().number(), s.job() == null ? s.row().jobId() : s.job().id(),
                json.readValue(s.row().parametersJson(), PARAMETERS), s.status().name(), s.objective(metric), s.row().stoppedBy());
    }
}
