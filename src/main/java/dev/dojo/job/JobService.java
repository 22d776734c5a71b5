package dev.dojo.job;

import dev.dojo.queue.JobQueue;
import dev.dojo.system.DomainProblem;
import dev.dojo.training.InvalidSpecException;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TrainingSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Submits, finds, lists, waits for and cancels jobs. */
@Service
public class JobService {

    private static final Duration POLL = Duration.ofMillis(100);
    /** The most GPUs one job may ask for: the GPUs of one machine. */
    static final int MAX_GPUS = 8;

    private final JobRepository jobs;
    private final TaskCatalog tasks;
    private final JobQueue queue;
    private final JsonMapper json;
    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final JobSettings settings;
    private final Duration lease;
    private final Clock clock = Clock.systemUTC();

    JobService(JobRepository jobs, TaskCatalog tasks, JobQueue queue, JsonMapper json, JdbcTemplate jdbc,
               ApplicationEventPublisher events, JobSettings settings, @Value("${dojo.worker.lease:30s}") Duration lease) {
        this.lease = lease;
        this.jobs = jobs;
        this.tasks = tasks;
        this.queue = queue;
        this.json = json;
        this.jdbc = jdbc;
        this.events = events;
        this.settings = settings;
    }

    /** Validates and resolves the request, then queues it. Nothing invalid is ever stored. */
    @Transactional
    public JobView submit(JobRequest request) {
        if (request == null) {
            throw new InvalidSpecException("body", "is empty; send a job spec such as {\"task\": \"sine-regression\"}");
        }
        List<InvalidSpecException.Violation> problems = new ArrayList<>();
        TrainingSpec training = null;
        try {
            training = tasks.resolve(request.task(), request.hyperparameters(), request.data());
        } catch (InvalidSpecException e) {
            problems.addAll(e.violations());
        }
        if (request.name() != null && (request.name().isBlank() || request.name().length() > 200)) {
            problems.add(new InvalidSpecException.Violation("name", "must be 1 to 200 characters"));
        }
        int priority = request.priority() == null ? 0 : request.priority();
        if (priority < -1000 || priority > 1000) {
            problems.add(new InvalidSpecException.Violation("priority", "must be between -1000 and 1000, was " + priority));
        }
        Integer maxRuntime = request.maxRuntimeSeconds();
        if (maxRuntime != null && (maxRuntime < 1 || maxRuntime > 604_800)) {
            problems.add(new InvalidSpecException.Violation("maxRuntimeSeconds", "must be between 1 and 604800, was " + maxRuntime));
        }
        int gpus = request.gpus() == null ? 0 : request.gpus();
        if (gpus < 0 || gpus > MAX_GPUS) {
            problems.add(new InvalidSpecException.Violation("gpus", "must be between 0 (any device) and " + MAX_GPUS
                    + " (GPUs on one worker), was " + gpus));
        }
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
        JobSpec spec = new JobSpec(training.task(), request.name(), training.hyperparameters(), training.data(), priority, maxRuntime,
                gpus);
        TrainingJob job = new TrainingJob(spec.task(), spec.name(), json.writeValueAsString(spec), priority, maxRuntime,
                settings.maxAttempts(), training.hyperparameters().epochs(), gpus, clock.instant());
        jobs.save(job);
        events.publishEvent(new JobEvents.Submitted(job.getId()));
        return view(job);
    }

    @Transactional(readOnly = true)
    public JobView get(String id) {
        return view(find(id));
    }

    /** The job's resolved spec, for code that runs or serves it. */
    @Transactional(readOnly = true)
    public JobSpec spec(String id) {
        return json.readValue(find(id).getSpecJson(), JobSpec.class);
    }

    /** A job's resolved spec and where it stands, read together. */
    public record SpecAndStatus(JobSpec spec, JobStatus status) {}

    @Transactional(readOnly = true)
    public SpecAndStatus specAndStatus(String id) {
        TrainingJob job = find(id);
        return new SpecAndStatus(json.readValue(job.getSpecJson(), JobSpec.class), job.getStatus());
    }

    public void requireExists(String id) {
        if (!jobs.existsById(id)) {
            throw DomainProblem.jobNotFound(id);
        }
    }

    @Transactional(readOnly = true)
    public PageView<JobView> list(JobStatus status, String task, int page, int size) {
        Page<TrainingJob> result = jobs.search(status, task, PageRequest.of(page, size));
        return new PageView<>(result.getContent().stream().map(this::view).toList(), page, size,
                result.getTotalElements(), result.getTotalPages());
    }

    /** Answers as soon as the job has ended, or after {@code seconds} with the job as it stands. */
    public JobView await(String id, int seconds) throws InterruptedException {
        Instant deadline = clock.instant().plusSeconds(seconds);
        JobView current = get(id);
        while (!current.status().isTerminal() && clock.instant().isBefore(deadline)) {
            Thread.sleep(POLL.toMillis());
            current = get(id);
        }
        return current;
    }

    /** Outcome of a cancel: the job, and whether the cancel is already complete. */
    public record CancelResult(JobView job, boolean completed) {}

    /**
     * Cancels a job. A queued job is cancelled at once and never starts; a running one is asked to
     * stop and this waits (briefly) for its worker to confirm; an ended one is a conflict.
     */
    public CancelResult cancel(String id) throws InterruptedException {
        TrainingJob job = find(id);
        if (job.getStatus().isTerminal()) {
            throw new DomainProblem(HttpStatus.CONFLICT, "Job already ended",
                    "Job " + id + " is " + job.getStatus() + "; cancelling it changes nothing.",
                    Map.of("status", job.getStatus().name()));
        }
        if (queue.cancelQueued(id)) {
            return new CancelResult(get(id), true);
        }
        if (queue.requestCancel(id)) {
            events.publishEvent(new JobEvents.CancelRequested(id));
            JobView after = await(id, settings.cancelWaitSeconds());
            return new CancelResult(after, after.status().isTerminal());
        }
        // It ended between our read and our update; report how.
        JobView now = get(id);
        if (now.status().isTerminal() && now.status() != JobStatus.CANCELLED) {
            throw new DomainProblem(HttpStatus.CONFLICT, "Job already ended",
                    "Job " + id + " is " + now.status() + "; cancelling it changes nothing.", Map.of("status", now.status().name()));
        }
        return new CancelResult(now, now.status().isTerminal());
    }

    private TrainingJob find(String id) {
        return jobs.findById(id).orElseThrow(() -> DomainProblem.jobNotFound(id));
    }

    private JobView view(TrainingJob job) {
        JobSpec spec = json.readValue(job.getSpecJson(), JobSpec.class);
        Map<String, JobView.LatestMetric> latest = job.getLatestMetricsJson() == null ? Map.of()
                : json.readValue(job.getLatestMetricsJson(), new TypeReference<Map<String, JobView.LatestMetric>>() {});
        int epochs = Math.max(1, job.getEpochs());
        JobView.Progress progress = new JobView.Progress(job.getCurrentEpoch(), job.getEpochs(),
                job.getStatus() == JobStatus.SUCCEEDED ? 1.0 : Math.min(1.0, (double) job.getCurrentEpoch() / epochs));
        return new JobView(job.getId(), job.getTask(), job.getName(), job.getStatus(), spec, progress, job.getAttempt(),
                job.getMaxAttempts(), job.getDevice(), job.getWorkerId(), job.getLeaseExpiresAt(), job.isCancelRequested(),
                job.getCreatedAt(), job.getStartedAt(), job.getFinishedAt(), latest, job.getFailureReason(), attempts(job.getId()),
                job.getOwner(), pendingReason(job));
    }

    /**
     * Why a queued job that needs GPUs is not running: no live worker slot offers that many. Null
     * when any such slot is live (the job just waits its turn) or the job needs no GPU.
     */
    private String pendingReason(TrainingJob job) {
        int gpus = job.getGpusRequired();
        if (job.getStatus() != JobStatus.QUEUED || gpus == 0 || queue.liveSlotsOffering(gpus, lease) > 0) {
            return null;
        }
        String need = "needs " + gpus + (gpus == 1 ? " GPU" : " GPUs on one worker");
        return gpus == 1 ? need + "; no live worker has one"
                : need + "; no live worker offers that many (a worker slot offers gpus / concurrency of its node's GPUs)";
    }

    private List<JobView.AttemptView> attempts(String id) {
        return jdbc.query("""
                SELECT attempt, worker_id, device, started_at, ended_at, outcome, reason, resumed_from_checkpoint, resumed_from_epoch
                FROM job_attempt WHERE job_id = ? ORDER BY attempt""", (rs, n) -> new JobView.AttemptView(rs.getInt(1), rs.getString(2),
                rs.getString(3), rs.getTimestamp(4).toInstant(),
                rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7),
                (Integer) rs.getObject(8), (Integer) rs.getObject(9)), id);
    }
}
