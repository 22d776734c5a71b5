package dev.dojo.sweep;

import dev.dojo.job.JobService;
import dev.dojo.job.JobView;
import dev.dojo.metric.MetricPoint;
import dev.dojo.queue.JobStatus;
import dev.dojo.security.Caller;
import dev.dojo.security.Scope;
import dev.dojo.system.DomainProblem;
import dev.dojo.system.NodeSettings;
import dev.dojo.system.Ticker;
import dev.dojo.training.InvalidSpecException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives sweeps on api nodes, on a timer: each tick it renews the leases it holds, takes sweeps whose
 * lease is free or ran out, and for each one it holds ends it (goal, failures, last trial), applies
 * the early-stopping rule, and launches trials up to the parallelism. Every write is fenced by the
 * lease epoch; a trial's row is written before its job is submitted under an Idempotency-Key made of
 * the sweep id and trial number, so a driver that dies anywhere leaves nothing lost or doubled.
 */
@Component
class SweepDriver implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SweepDriver.class);

    /** Another node took the sweep over, or it ended: this node writes nothing more for it. */
    static final class FencedOut extends RuntimeException {
        FencedOut(String id) {
            super("sweep " + id + " is no longer driven by this node", null, false, false);
        }
    }

    private final SweepStore store;
    private final SweepService sweeps;
    private final SweepPlans plans;
    private final JobService jobs;
    private final EarlyStops stops;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final SweepSettings settings;
    private final NodeSettings node;
    private final Clock clock = Clock.systemUTC();
    /** The lease epoch this node holds, by sweep. */
    private final Map<String, Long> held = new ConcurrentHashMap<>();
    /** Each trial job's objective history read so far, by sweep and job: read on with afterStep. */
    private final Map<String, Map<String, List<MetricPoint>>> histories = new ConcurrentHashMap<>();
    private Ticker timer;

    SweepDriver(SweepStore store, SweepService sweeps, SweepPlans plans, JobService jobs, EarlyStops stops, TransactionTemplate tx,
                JsonMapper json, SweepSettings settings, NodeSettings node) {
        this.store = store;
        this.sweeps = sweeps;
        this.plans = plans;
        this.jobs = jobs;
        this.stops = stops;
        this.tx = tx;
        this.json = json;
        this.settings = settings;
        this.node = node;
    }

    /** One pass over every sweep this node holds or may take. */
    void tick() {
        Instant now = clock.instant();
        List<String> drivable;
        try {
            drivable = store.drivable(node.nodeId(), now);
        } catch (RuntimeException e) {
            log.warn("sweep tick failed (database away?): {}", e.toString());
            return;
        }
        held.keySet().retainAll(drivable);
        histories.keySet().retainAll(held.keySet());
        for (String id : drivable) {
            try {
                Long epoch = held.get(id);
                Instant until = now.plus(settings.lease());
                if (epoch != null && !store.renew(id, node.nodeId(), epoch, until)) {
                    held.remove(id);
                    continue;
                }
                if (epoch == null) {
                    epoch = store.acquire(id, node.nodeId(), now, until).orElse(null);
                    if (epoch == null) {
                        continue;
                    }
                    log.info("node {} drives sweep {} (lease epoch {})", node.nodeId(), id, epoch);
                    held.put(id, epoch);
                }
                drive(id, epoch);
            } catch (FencedOut e) {
                held.remove(id);
                log.info("{}", e.getMessage());
            } catch (RuntimeException e) {
                log.warn("sweep {}: tick failed, retrying next tick: {}", id, e.toString());
            }
        }
    }

    private void drive(String id, long epoch) {
        Snapshot s = sweeps.snapshot(store.find(id, null).orElseThrow(() -> new FencedOut(id)));
        Plan plan = s.plan();
        String tenant = s.sweep().tenant();
        // A trial row whose job is not submitted yet: a driver died between the two, or the submit was refused for now
        // (a full queue). Tried again in number order; the first still refused holds back every later trial, old or new.
        boolean waiting = false;
        for (SweepStore.Trial t : s.trials()) {
            if (t.jobId() == null && !submit(s, t.number(), epoch)) {
                waiting = true;
                break;
            }
        }
        s = sweeps.snapshot(s.sweep());
        List<Snapshot.TrialState> states = s.states();
        String metric = plan.objective().metric();
        for (Snapshot.TrialState t : states) {
            Double value = t.objective(metric);
            if (t.status() == JobStatus.SUCCEEDED && value != null && plan.objective().reaches(value)) {
                end(s, epoch, "SUCCEEDED", "trial " + t.row().number() + " reached the goal: " + metric + " " + value + " (goal "
                        + plan.objective().goal() + ")");
                return;
            }
        }
        long failed = states.stream().filter(t -> t.status() == JobStatus.FAILED).count();
        if (failed > plan.maxFailedTrials()) {
            end(s, epoch, "FAILED", failed + " trial(s) failed, more than maxFailedTrials " + plan.maxFailedTrials());
            return;
        }
        if (states.size() == plan.maxTrials() && states.stream().noneMatch(Snapshot.TrialState::live)) {
            long succeeded = states.stream().filter(t -> t.status() == JobStatus.SUCCEEDED).count();
            String best = s.best().map(b -> "; best trial " + b.row().number() + " with " + metric + " " + b.objective(metric)).orElse("");
            end(s, epoch, succeeded > 0 ? "SUCCEEDED" : "FAILED", "all " + plan.maxTrials() + " trial(s) ended, " + succeeded
                    + " succeeded" + best);
            return;
        }
        if (plan.earlyStopping() != null) {
            stops.apply(s, histories.computeIfAbsent(id, k -> new ConcurrentHashMap<>()), write -> fenced(id, epoch, write));
        }
        long live = states.stream().filter(Snapshot.TrialState::live).count();
        for (int next = states.size() + 1; !waiting && next <= plan.maxTrials() && live < plan.parallelism(); next++, live++) {
            int number = next;
            String parameters = json.writeValueAsString(plan.trials().get(number - 1));
            fenced(id, epoch, () -> store.insertTrial(id, number, parameters, clock.instant()));
            if (!submit(s, number, epoch)) {
                return;
            }
        }
        // Ended trials' cancels a previous driver asked for may still wait on a stopped trial.
        for (Snapshot.TrialState t : states) {
            if (t.row().stoppedBy() != null && t.live() && t.job() != null) {
                sweeps.cancelJob(tenant, t.job().id(), EarlyStops.reason(s, t.row().stopReason(), t.row().stoppedBy()));
            }
        }
    }

    /**
     * Submits trial {@code number}'s job (its row exists) and records the job on the row; false when the
     * job API refused for now (a full queue), so that no later trial overtakes it.
     */
    private boolean submit(Snapshot s, int number, long epoch) {
        String id = s.sweep().id();
        JobView existing = s.jobs().get(number);
        String jobId;
        if (existing != null) {
            jobId = existing.id();
        } else {
            Map<String, JsonNode> parameters = s.plan().trials().get(number - 1);
            JsonNode request = json.readTree(s.sweep().requestJson());
            SweepRequest posted = json.treeToValue(request, SweepRequest.class);
            Caller caller = new Caller(s.sweep().tenant(), s.sweep().submittedByKey(), EnumSet.of(Scope.JOBS_READ, Scope.JOBS_WRITE));
            try {
                jobId = jobs.submit(plans.trialRequest(posted.base(), parameters,
                                Map.of(SweepPlans.SWEEP_LABEL, id, SweepPlans.TRIAL_LABEL, String.valueOf(number))),
                        caller, "sweep-" + id + "-trial-" + number).job().id();
            } catch (DomainProblem e) {
                log.info("sweep {}: trial {} not submitted yet ({}); retrying next tick", id, number, e.getMessage());
                return false;
            } catch (InvalidSpecException e) {
                end(s, epoch, "FAILED", "trial " + number + " could not be submitted: " + e.getMessage());
                return false;
            }
        }
        try {
            fenced(id, epoch, () -> store.setJob(id, number, jobId));
        } catch (FencedOut e) {
            // Cancelled (or ended) while this node submitted: the job must not outlive its sweep.
            store.find(id, null).filter(now -> !"RUNNING".equals(now.status()))
                    .ifPresent(now -> sweeps.cancelJob(now.tenant(), jobId, "sweep " + id + " ended: " + now.reason()));
            throw e;
        }
        return true;
    }

    /** Cancels what still runs, then ends the sweep (fenced), so that a driver dying in between leaves it to the next. */
    private void end(Snapshot s, long epoch, String status, String reason) {
        String id = s.sweep().id();
        sweeps.cancelLive(s, "sweep " + id + " ended " + status + ": " + reason);
        fenced(id, epoch, () -> store.end(id, status, reason, clock.instant()));
        held.remove(id);
        log.info("sweep {} ended {}: {}", id, status, reason);
    }

    /** Runs {@code write} in a transaction that first renews the lease with {@code epoch}; {@link FencedOut} when it is not held. */
    private void fenced(String id, long epoch, Runnable write) {
        tx.executeWithoutResult(status -> {
            if (!store.renew(id, node.nodeId(), epoch, clock.instant().plus(settings.lease()))) {
                throw new FencedOut(id);
            }
            write.run();
        });
    }

    @Override
    public synchronized void start() {
        if (!node.isApi()) {
            return;
        }
        timer = Ticker.start("dojo-sweep-driver", settings.tick(), this::tick);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.stopAndWait(Duration.ofSeconds(5));
            timer = null;
            held.forEach((id, epoch) -> {
                try {
                    store.release(id, node.nodeId(), epoch);
                } catch (RuntimeException e) {
                    log.warn("sweep {}: could not release its lease on shutdown: {}", id, e.toString());
                }
            });
            held.clear();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
