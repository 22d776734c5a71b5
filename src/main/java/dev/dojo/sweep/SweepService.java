package dev.dojo.sweep;

import dev.dojo.job.JobService;
import dev.dojo.job.JobView;
import dev.dojo.job.PageView;
import dev.dojo.queue.TenantScope;
import dev.dojo.security.Caller;
import dev.dojo.system.DomainProblem;
import dev.dojo.system.Echo;
import dev.dojo.training.InvalidSpecException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Creates, reads, lists and cancels sweeps; the driving itself is {@link SweepDriver}'s. */
@Service
class SweepService {

    private static final Logger log = LoggerFactory.getLogger(SweepService.class);
    /** The title of a refused sweep's 400. */
    static final String INVALID = "Invalid sweep";

    private final SweepStore store;
    private final SweepPlans plans;
    private final JobService jobs;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    SweepService(SweepStore store, SweepPlans plans, JobService jobs, JsonMapper json) {
        this.store = store;
        this.plans = plans;
        this.jobs = jobs;
        this.json = json;
    }

    /** Validates the sweep and stores it RUNNING; a driver launches its first trials within a tick. */
    SweepView submit(SweepRequest request, Caller caller) {
        Plan plan;
        try {
            plan = plans.plan(request, TenantScope.of(caller.tenant()));
        } catch (InvalidSpecException e) {
            // The same errors naming each field, but the problem is the sweep, not a job spec the client sent.
            throw e.titled(INVALID);
        }
        String id = UUID.randomUUID().toString();
        store.insert(id, caller.tenant(), caller.keyId(), plan.algorithm(), json.writeValueAsString(withoutNulls(json.valueToTree(request))),
                json.writeValueAsString(plan), plan.maxTrials(), clock.instant());
        log.info("sweep {} of tenant {}: {} trial(s), {} at once", id, caller.tenant(), plan.maxTrials(), plan.parallelism());
        return get(id, caller.visibility());
    }

    SweepView get(String id, TenantScope scope) {
        return snapshot(find(id, scope)).view(json);
    }

    PageView<SweepView> list(TenantScope scope, int page, int size) {
        String tenant = scope.isAll() ? null : scope.tenant();
        List<SweepStore.Sweep> sweeps = store.page(tenant, page, size);
        // A fixed number of statements whatever the page's size: the page, its count, all its trial rows, all its trials' jobs
        // (rows before jobs, as in snapshot).
        List<String> ids = sweeps.stream().map(SweepStore.Sweep::id).toList();
        Map<String, List<SweepStore.Trial>> trials = store.trials(ids);
        Map<String, List<JobView>> trialJobs = new HashMap<>();
        for (JobView job : jobs.listWithLabel(scope, SweepPlans.SWEEP_LABEL, ids)) {
            // An admin's page reads every tenant's jobs: a job of another tenant that took the label is no trial.
            trialJobs.computeIfAbsent(job.tenant() + "/" + job.spec().labels().get(SweepPlans.SWEEP_LABEL), k -> new ArrayList<>()).add(job);
        }
        List<SweepView> items = sweeps.stream().map(s -> snapshot(s, trials.getOrDefault(s.id(), List.of()),
                trialJobs.getOrDefault(s.tenant() + "/" + s.id(), List.of())).view(json)).toList();
        long total = store.count(tenant);
        return new PageView<>(items, page, size, total, (int) ((total + size - 1) / size));
    }

    /** Ends the sweep CANCELLED and cancels its live trials; a 409 when it had already ended. */
    SweepView cancel(String id, Caller caller) {
        SweepStore.Sweep sweep = find(id, caller.visibility());
        if (!store.end(id, "CANCELLED", "cancelled by request", clock.instant())) {
            SweepStore.Sweep now = find(id, caller.visibility());
            throw new DomainProblem(HttpStatus.CONFLICT, "Sweep already ended", "Sweep " + id + " is " + now.status()
                    + "; cancelling it changes nothing.", Map.of("sweepStatus", now.status()));
        }
        cancelLive(snapshot(find(id, caller.visibility())), "sweep " + sweep.id() + " was cancelled");
        return get(id, caller.visibility());
    }

    /** The sweep as it stands now, with its trials' jobs. */
    Snapshot snapshot(SweepStore.Sweep sweep) {
        // The trial rows first, then the jobs: a row the driver adds in between (once a trial ended) is not seen beside
        // the ended trial's job as it was before it ended, which would count one trial too many as live.
        List<SweepStore.Trial> trials = store.trials(sweep.id());
        List<JobView> trialJobs = jobs.list(TenantScope.of(sweep.tenant()), null, null, null, Map.of(SweepPlans.SWEEP_LABEL, sweep.id()),
                0, SweepPlans.MAX_TRIALS).items();
        return snapshot(sweep, trials, trialJobs);
    }

    /** The sweep from its trial rows and its trials' jobs (those labelled {@code sweep=<id>}), read beforehand. */
    private Snapshot snapshot(SweepStore.Sweep sweep, List<SweepStore.Trial> trials, List<JobView> trialJobs) {
        Plan plan = json.readValue(sweep.planJson(), Plan.class);
        Map<Integer, JobView> byNumber = new HashMap<>();
        for (JobView job : trialJobs) {
            String number = job.spec().labels() == null ? null : job.spec().labels().get(SweepPlans.TRIAL_LABEL);
            if (number != null && number.matches("[0-9]{1,4}")) {
                byNumber.putIfAbsent(Integer.parseInt(number), job);
            }
        }
        return new Snapshot(sweep, plan, trials, byNumber);
    }

    /** Cancels every trial job of the sweep that has not ended, each with {@code reason}. */
    void cancelLive(Snapshot snapshot, String reason) {
        for (JobView job : snapshot.jobs().values()) {
            if (!job.status().isTerminal()) {
                cancelJob(snapshot.sweep().tenant(), job.id(), reason);
            }
        }
    }

    /** Cancels one trial's job; one that ended meanwhile is left as it is. */
    void cancelJob(String tenant, String jobId, String reason) {
        try {
            jobs.cancelWithoutWaiting(jobId, TenantScope.of(tenant), reason);
        } catch (DomainProblem e) {
            if (e.status() != HttpStatus.CONFLICT && e.status() != HttpStatus.NOT_FOUND) {
                throw e;
            }
        }
    }

    private SweepStore.Sweep find(String id, TenantScope scope) {
        return store.find(id, scope.isAll() ? null : scope.tenant()).orElseThrow(() ->
                new DomainProblem(HttpStatus.NOT_FOUND, "Sweep not found", "No sweep with id " + Echo.of(id) + "."));
    }

    private static JsonNode withoutNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> nulls = object.propertyNames().stream().filter(n -> object.get(n).isNull()).toList();
            nulls.forEach(object::remove);
            object.values().forEach(SweepService::withoutNulls);
        } else if (node != null && node.isArray()) {
            node.values().forEach(SweepService::withoutNulls);
        }
        return node;
    }
}
