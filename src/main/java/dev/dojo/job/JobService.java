package dev.dojo.job;

import dev.dojo.queue.JobQueue;
import dev.dojo.queue.JobRecords;
import dev.dojo.queue.JobStatus;
import dev.dojo.queue.QueueSettings;
import dev.dojo.queue.TenantScope;
import dev.dojo.queue.Tenants;
import dev.dojo.queue.TrainingJob;
import dev.dojo.queue.WorkerRegistry;
import dev.dojo.security.Caller;
import dev.dojo.system.DomainProblem;
import dev.dojo.system.FilePaths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Submits, finds, lists, waits for and cancels jobs: the job API's side of the queue. */
@Service
public class JobService {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final TypeReference<Map<String, JobView.LatestMetric>> LATEST = new TypeReference<>() {};
    static final int MAX_IDEMPOTENCY_KEY = 255;
    private static final TypeReference<List<Gate.Result>> GATE_RESULTS = new TypeReference<>() {};

    private final JobRecords records;
    private final JobQueue queue;
    private final WorkerRegistry workers;
    private final Tenants tenants;
    private final JobSpecs specs;
    private final IdempotencyKeys keys;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final JobSettings settings;
    private final QueueSettings queueSettings;
    private final Clock clock = Clock.systemUTC();

    JobService(JobRecords records, JobQueue queue, WorkerRegistry workers, Tenants tenants, JobSpecs specs, IdempotencyKeys keys,
               TransactionTemplate tx, JsonMapper json, ApplicationEventPublisher events, JobSettings settings, QueueSettings queueSettings) {
        this.records = records;
        this.queue = queue;
        this.workers = workers;
        this.tenants = tenants;
        this.specs = specs;
        this.keys = keys;
        this.tx = tx;
        this.json = json;
        this.events = events;
        this.settings = settings;
        this.queueSettings = queueSettings;
    }

    /** A submit's answer: the job, and whether it was created by an earlier request with the same Idempotency-Key. */
    public record Submitted(JobView job, boolean replayed) {}

    /**
     * Validates and resolves the request, then queues it for the caller's tenant, recording the key
     * that sent it. Nothing invalid is ever stored; a full queue for the tenant is a 429.
     */
    public JobView submit(JobRequest request, Caller caller) {
        return submit(request, caller, null).job();
    }

    /**
     * {@link #submit(JobRequest, Caller)} with an optional Idempotency-Key: a key this tenant used
     * before with the same resolved spec answers the job it created then and creates nothing; with
     * another spec it is a 422, and while its first request is still being processed a 409.
     */
    public Submitted submit(JobRequest request, Caller caller, String idempotencyKey) {
        JobSpec spec = specs.resolve(request, caller.visibility());
        if (idempotencyKey == null) {
            return new Submitted(tx.execute(s -> enqueue(spec, caller, null)), false);
        }
        checkIdempotencyKey(idempotencyKey);
        IdempotencyKeys.Outcome claimed = keys.claim(caller.tenant(), idempotencyKey, specs.fingerprint(spec), settings.idempotencyTtl());
        if (claimed.jobId() != null) {
            return new Submitted(get(claimed.jobId(), TenantScope.of(caller.tenant())), true);
        }
        try {
            return new Submitted(tx.execute(s -> enqueue(spec, caller, claimed.claim())), false);
        } catch (RuntimeException e) {
            keys.release(claimed.claim());
            throw e;
        }
    }

    /**
     * Resolves the request exactly as {@link #submit} would, storing nothing: an
     * {@link dev.dojo.training.InvalidSpecException} naming each bad field when it could not be submitted.
     */
    public void check(JobRequest request, TenantScope visible) {
        specs.resolve(request, visible);
    }

    /** 1 to 255 printable ASCII characters (space included), as the IETF httpapi draft's key is a structured-field string. */
    static void checkIdempotencyKey(String key) {
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw DomainProblem.badField("Invalid Idempotency-Key", "Idempotency-Key",
                    "must be 1 to " + MAX_IDEMPOTENCY_KEY + " printable ASCII characters");
        }
    }

    private JobView enqueue(JobSpec spec, Caller caller, IdempotencyKeys.Claim claim) {
        TrainingJob job = queue.enqueue(new JobQueue.NewJob(caller.tenant(), caller.keyId(), spec.task(), spec.name(),
                json.writeValueAsString(spec), spec.priority(), spec.maxRuntimeSeconds(), settings.maxAttempts(),
                spec.hyperparameters().epochs(), spec.gpusRequired(), spec.labels()));
        if (claim != null) {
            keys.record(claim, job.getId());
        }
        events.publishEvent(new JobEvents.Submitted(job.getId()));
        return views(List.of(job), Map.of()).get(0);
    }

    /** Text a database of any kind stores as sent: no control characters, no unpaired surrogates (PostgreSQL refuses NUL). */
    static boolean printable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The job as the API shows it; a 404 when {@code scope} does not see it, exactly as if it did not exist. */
    @Transactional(readOnly = true)
    public JobView get(String id, TenantScope scope) {
        TrainingJob job = records.get(id, scope);
        return views(List.of(job), records.attempts(List.of(id))).get(0);
    }

    /** A job's resolved spec and where it stands, read together: what code that runs or serves a job needs. */
    public record SpecAndStatus(JobSpec spec, JobStatus status, String tenant) {}

    @Transactional(readOnly = true)
    public SpecAndStatus spec(String id, TenantScope scope) {
        TrainingJob job = records.get(id, scope);
        return new SpecAndStatus(json.readValue(job.getSpecJson(), JobSpec.class), job.getStatus(), job.getTenant());
    }

    /** A 404 unless the job exists and {@code scope} sees it: the check before reading rows that hang off a job. */
    public void requireVisible(String id, TenantScope scope) {
        records.requireVisible(id, scope);
    }

    /**
     * One page of the jobs {@code scope} sees, newest first, optionally of one tenant (an admin's filter).
     * A fixed number of statements whatever the page size: the page, its count, the attempts of all its
     * jobs, and, when a job on it is queued, the running counts behind its tenants' limits and the live
     * worker slots for jobs that wait for GPUs.
     */
    @Transactional(readOnly = true)
    public PageView<JobView> list(TenantScope scope, String tenant, JobStatus status, String task, int page, int size) {
        return list(scope, tenant, status, task, Map.of(), page, size);
    }

    /** {@link #list(TenantScope, String, JobStatus, String, int, int)} of the jobs that carry every one of {@code labels}. */
    @Transactional(readOnly = true)
    public PageView<JobView> list(TenantScope scope, String tenant, JobStatus status, String task, Map<String, String> labels,
                                  int page, int size) {
        Page<TrainingJob> result = records.search(scope, tenant, status, task, labels, PageRequest.of(page, size));
        List<TrainingJob> jobs = result.getContent();
        return new PageView<>(views(jobs, records.attempts(jobs.stream().map(TrainingJob::getId).toList())),
                page, size, result.getTotalElements(), result.getTotalPages());
    }

    /**
     * Every job {@code scope} sees whose label {@code key} has any of {@code values} (at most
     * {@link JobRecords#MAX_LABEL_VALUES}), newest first: a fixed number of statements however many
     * values and jobs (the jobs, their attempts, and what holds back the queued ones, as {@link #list}).
     */
    @Transactional(readOnly = true)
    public List<JobView> listWithLabel(TenantScope scope, String key, java.util.Collection<String> values) {
        List<TrainingJob> found = records.withLabel(scope, key, values);
        return views(found, records.attempts(found.stream().map(TrainingJob::getId).toList()));
    }

    /** Forgets the Idempotency-Keys that name the job; part of deleting it, in the deleting transaction. */
    public void forgetIdempotencyKeys(String jobId) {
        keys.forgetJob(jobId);
    }

    /** Deletes the Idempotency-Keys whose dojo.jobs.idempotency-ttl has passed; answers how many. */
    public int purgeExpiredIdempotencyKeys() {
        return keys.purgeExpired();
    }

    /** Answers as soon as the job has ended, or after {@code seconds} with the job as it stands. */
    public JobView await(String id, TenantScope scope, int seconds) throws InterruptedException {
        Instant deadline = clock.instant().plusSeconds(seconds);
        JobView current = get(id, scope);
        while (!current.status().isTerminal() && clock.instant().isBefore(deadline)) {
            Thread.sleep(POLL.toMillis());
            current = get(id, scope);
        }
        return current;
    }

    /** Outcome of a cancel: the job, and whether the cancel is already complete. */
    public record CancelResult(JobView job, boolean completed) {}

    /**
     * Cancels a job. A queued job is cancelled at once and never starts; a running one is asked to
     * stop and this waits (briefly) for its worker to confirm; an ended one is a conflict.
     */
    public CancelResult cancel(String id, TenantScope scope) throws InterruptedException {
        CancelResult started = cancelWithoutWaiting(id, scope);
        if (started.completed() || !started.job().cancelRequested()) {
            return started;
        }
        JobView after = await(id, scope, settings.cancelWaitSeconds());
        return new CancelResult(after, after.status().isTerminal());
    }

    /**
     * {@link #cancel} up to the point where it would wait for a running job's worker: the API waits
     * without holding a thread (see {@code JobWaits}).
     */
    public CancelResult cancelWithoutWaiting(String id, TenantScope scope) {
        return cancelWithoutWaiting(id, scope, null);
    }

    /**
     * {@link #cancelWithoutWaiting(String, TenantScope)} with a reason (null: a plain request): the job's
     * failure reason starts with it once it is CANCELLED (a sweep's early-stopping rule says why it stopped a trial).
     */
    public CancelResult cancelWithoutWaiting(String id, TenantScope scope, String reason) {
        TrainingJob job = records.get(id, scope);
        if (job.getStatus().isTerminal()) {
            throw alreadyEnded(id, job.getStatus());
        }
        if (queue.cancelQueued(id, reason)) {
            return new CancelResult(get(id, scope), true);
        }
        if (queue.requestCancel(id, reason)) {
            events.publishEvent(new JobEvents.CancelRequested(id));
            JobView now = get(id, scope);
            return new CancelResult(now, now.status().isTerminal());
        }
        // It ended between our read and our update; report how.
        JobView now = get(id, scope);
        if (now.status().isTerminal() && now.status() != JobStatus.CANCELLED) {
            throw alreadyEnded(id, now.status());
        }
        return new CancelResult(now, now.status().isTerminal());
    }

    /** The problem's job status is {@code jobStatus}: {@code status} is the HTTP status. */
    private static DomainProblem alreadyEnded(String id, JobStatus status) {
        return new DomainProblem(org.springframework.http.HttpStatus.CONFLICT, "Job already ended",
                "Job " + id + " is " + status + "; cancelling it changes nothing.", Map.of("jobStatus", status.name()));
    }

    /** The views of {@code jobs}, with what holds each queued one back read once for all of them. */
    private List<JobView> views(List<TrainingJob> jobs, Map<String, List<JobRecords.Attempt>> attempts) {
        List<TrainingJob> queued = jobs.stream().filter(j -> j.getStatus() == JobStatus.QUEUED).toList();
        IntPredicate slotOffers = slots(queued);
        Map<String, Integer> fullTenants = queued.isEmpty() ? Map.of()
                : tenants.atRunningLimit(queued.stream().map(TrainingJob::getTenant).distinct().toList());
        return jobs.stream().map(j -> view(j, attempts.getOrDefault(j.getId(), List.of()),
                pendingReason(j, slotOffers, fullTenants))).toList();
    }

    private JobView view(TrainingJob job, List<JobRecords.Attempt> attempts, String pendingReason) {
        JobSpec spec = json.readValue(job.getSpecJson(), JobSpec.class);
        Map<String, JobView.LatestMetric> latest = job.getLatestMetricsJson() == null ? Map.of()
                : json.readValue(job.getLatestMetricsJson(), LATEST);
        JobView.Progress progress = Throughput.progress(job.getCurrentEpoch(), job.getEpochs(), job.getStatus(), job.getStartedAt(),
                latest, attempts, clock.instant());
        return new JobView(job.getId(), job.getTask(), job.getName(), job.getStatus(), spec, progress, job.getAttempt(),
                job.getMaxAttempts(), job.getDevice(), job.getWorkerId(), job.getLeaseExpiresAt(), job.isCancelRequested(),
                job.getCreatedAt(), job.getStartedAt(), job.getFinishedAt(), latest, FilePaths.redact(job.getFailureReason()),
                attempts.stream().map(a -> new JobRecords.Attempt(a.attempt(), a.workerId(), a.device(), a.startedAt(), a.endedAt(),
                        a.outcome(), FilePaths.redact(a.reason()), a.resumedFromCheckpoint(), a.resumedFromEpoch())).toList(),
                job.getTenant(), job.getSubmittedByKey(), pendingReason, Gates.view(spec.gates(), job.getGateResultsJson() == null ? null
                        : json.readValue(job.getGateResultsJson(), GATE_RESULTS), job.getStatus().isTerminal()));
    }

    /**
     * Whether some live worker slot offers at least k GPUs. The worker table is read once, and only when
     * one of the queued jobs needs GPUs.
     */
    private IntPredicate slots(List<TrainingJob> queued) {
        if (queued.stream().noneMatch(j -> j.getGpusRequired() > 0)) {
            return k -> true;
        }
        List<Integer> live = workers.liveSlotGpus(queueSettings.lease());
        return k -> live.stream().anyMatch(g -> g >= k);
    }

    /**
     * Why a queued job is not running when more than its turn holds it back: its tenant runs as many
     * jobs as its running limit allows, or it needs GPUs that no live worker slot offers. Null when the
     * job just waits its turn, or is not queued.
     */
    private static String pendingReason(TrainingJob job, IntPredicate slotOffers, Map<String, Integer> fullTenants) {
        if (job.getStatus() != JobStatus.QUEUED) {
            return null;
        }
        Integer limit = fullTenants.get(job.getTenant());
        if (limit != null && limit == 0) {
            return "tenant " + job.getTenant() + " may run no job at once (maxRunningJobs 0); this job starts when an admin "
                    + "raises the limit";
        }
        if (limit != null) {
            return "tenant " + job.getTenant() + " already runs " + limit + " job(s), its limit (maxRunningJobs); this job "
                    + "starts when one of them ends";
        }
        int gpus = job.getGpusRequired();
        if (gpus == 0 || slotOffers.test(gpus)) {
            return null;
        }
        String need = "needs " + gpus + (gpus == 1 ? " GPU" : " GPUs on one worker");
        return gpus == 1 ? need + "; no live worker has one"
                : need + "; no live worker offers that many (a worker slot offers gpus / concurrency of its node's GPUs)";
    }
}
