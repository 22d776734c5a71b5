package dev.dojo.sweep;

import dev.dojo.job.JobView;
import dev.dojo.metric.MetricPoint;
import dev.dojo.metric.MetricStore;
import dev.dojo.queue.JobStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Applies a sweep's early-stopping rule ({@link EarlyStopping}) to its running trials: reads each
 * trial's objective history through the metric package (on from where the last look stopped),
 * records a stop or a passed rung with the driver's fence, and cancels a stopped trial's job with
 * the reason.
 */
@Component
class EarlyStops {

    private static final Logger log = LoggerFactory.getLogger(EarlyStops.class);
    private static final int PAGE = 10_000;

    private final SweepStore store;
    private final SweepService sweeps;
    private final MetricStore metrics;

    EarlyStops(SweepStore store, SweepService sweeps, MetricStore metrics) {
        this.store = store;
        this.sweeps = sweeps;
        this.metrics = metrics;
    }

    /**
     * @param cache each trial job's history read so far, kept by the driver between looks
     * @param fenced runs a write in the driver's fenced transaction
     */
    void apply(Snapshot s, Map<String, List<MetricPoint>> cache, Consumer<Runnable> fenced) {
        Plan plan = s.plan();
        Map<Integer, List<MetricPoint>> all = new HashMap<>();
        for (Snapshot.TrialState t : s.states()) {
            if (t.job() != null && t.job().status() != JobStatus.QUEUED) {
                all.put(t.row().number(), history(cache, t.job(), plan.objective().metric()));
            }
        }
        for (Snapshot.TrialState t : s.states()) {
            if (t.status() != JobStatus.RUNNING || t.row().stoppedBy() != null) {
                continue;
            }
            int epochs = t.job().progress() == null ? Integer.MAX_VALUE : t.job().progress().epochs();
            EarlyStopping.Candidate c = new EarlyStopping.Candidate(t.row().number(), all.get(t.row().number()), t.row().rung(), epochs);
            int[] promoted = {t.row().rung()};
            EarlyStopping.Stop stop = "median".equals(plan.earlyStopping().rule())
                    ? EarlyStopping.median(plan.earlyStopping(), plan.objective(), c, all)
                    : EarlyStopping.asha(plan.earlyStopping(), plan.objective(), c, all, promoted);
            String id = s.sweep().id();
            int number = t.row().number();
            if (stop != null) {
                fenced.accept(() -> store.stop(id, number, stop.rule(), stop.reason()));
                log.info("sweep {}: trial {} stopped by the {} rule: {}", id, number, stop.rule(), stop.reason());
                sweeps.cancelJob(s.sweep().tenant(), t.job().id(), reason(s, stop.reason(), stop.rule()));
            } else if (promoted[0] > t.row().rung()) {
                fenced.accept(() -> store.rung(id, number, promoted[0]));
            }
        }
    }

    static String reason(Snapshot s, String reason, String rule) {
        return "STOPPED by sweep " + s.sweep().id() + " (" + rule + " rule): " + reason;
    }

    /** The job's objective history, read on from where the last tick stopped. */
    private List<MetricPoint> history(Map<String, List<MetricPoint>> cache, JobView job, String metric) {
        List<MetricPoint> known = cache.computeIfAbsent(job.id(), k -> new ArrayList<>());
        while (true) {
            long after = known.isEmpty() ? -1 : known.get(known.size() - 1).step();
            List<MetricPoint> more = metrics.points(job.id(), metric, after, PAGE);
            known.addAll(more);
            if (more.size() < PAGE) {
                return known;
            }
        }
    }

}
