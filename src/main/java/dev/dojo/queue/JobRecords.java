package dev.dojo.queue;

import dev.dojo.system.DomainProblem;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Every read of {@code training_job} and {@code job_attempt} rows, for code outside the queue. */
@Component
@Transactional(readOnly = true)
public class JobRecords {

    private final JobRepository jobs;
    private final NamedParameterJdbcTemplate jdbc;

    private final LabelledJobs labelled;

    JobRecords(JobRepository jobs, NamedParameterJdbcTemplate jdbc, LabelledJobs labelled) {
        this.jobs = jobs;
        this.jdbc = jdbc;
        this.labelled = labelled;
    }

    /** One try at running a job: who ran it, when, how it ended, and where it resumed from. */
    public record Attempt(int attempt, String workerId, String device, Instant startedAt, Instant endedAt, String outcome,
                          String reason, Integer resumedFromCheckpoint, Integer resumedFromEpoch) {}

    /** The job, when it exists and {@code scope} sees it. */
    public Optional<TrainingJob> find(String id, TenantScope scope) {
        return scope.isAll() ? jobs.findById(id) : jobs.findByIdAndTenant(id, scope.tenant());
    }

    /** The job, or a 404 problem, exactly as if it did not exist when {@code scope} does not see it. */
    public TrainingJob get(String id, TenantScope scope) {
        return find(id, scope).orElseThrow(() -> DomainProblem.jobNotFound(id));
    }

    /** The job's status, or a 404 problem when it does not exist or {@code scope} does not see it. */
    public JobStatus status(String id, TenantScope scope) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("id", id);
        params.put("tenant", scope.tenant());
        return jdbc.queryForList("SELECT status FROM training_job WHERE id = :id" + (scope.isAll() ? "" : " AND tenant = :tenant"),
                params, String.class).stream().findFirst().map(JobStatus::valueOf).orElseThrow(() -> DomainProblem.jobNotFound(id));
    }

    /** Throws a 404 problem unless the job exists and {@code scope} sees it. */
    public void requireVisible(String id, TenantScope scope) {
        if (!(scope.isAll() ? jobs.existsById(id) : jobs.existsByIdAndTenant(id, scope.tenant()))) {
            throw DomainProblem.jobNotFound(id);
        }
    }

    /** Jobs newest first that {@code scope} sees, optionally of one tenant, one status and one task. */
    public Page<TrainingJob> search(TenantScope scope, String tenant, JobStatus status, String task, Pageable page) {
        return search(scope, tenant, status, task, Map.of(), page);
    }

    /**
     * {@link #search(TenantScope, String, JobStatus, String, Pageable)} of the jobs that carry every
     * label in {@code labels} (a null value: no job matches). Two statements, the page and its count,
     * whatever the number of labels.
     */
    public Page<TrainingJob> search(TenantScope scope, String tenant, JobStatus status, String task, Map<String, String> labels,
                                    Pageable page) {
        String only = scope.isAll() ? tenant : scope.tenant();
        if (!scope.isAll() && tenant != null && !tenant.equals(scope.tenant()) || labels.values().stream().anyMatch(java.util.Objects::isNull)) {
            return Page.empty(page);
        }
        return labels.isEmpty() ? jobs.search(only, status, task, page) : labelled.search(only, status, task, labels, page);
    }

    /** Maximum number of label values {@link #withLabel} takes at once. */
    public static final int MAX_LABEL_VALUES = 100;

    /**
     * Every job {@code scope} sees that carries the label {@code key} with any of {@code values} (at most
     * {@link #MAX_LABEL_VALUES}), newest first, in one statement.
     */
    public List<TrainingJob> withLabel(TenantScope scope, String key, Collection<String> values) {
        if (values.size() > MAX_LABEL_VALUES) {
            throw new IllegalArgumentException("at most " + MAX_LABEL_VALUES + " label values, got " + values.size());
        }
        return labelled.withLabel(scope.isAll() ? null : scope.tenant(), key, values);
    }

    /**
     * Up to {@code limit} jobs that ended more than {@code age} ago (by the database's clock), oldest
     * first, except those labelled {@code keep=true}: what the retention sweep deletes.
     */
    public List<String> endedBefore(java.time.Duration age, int limit) {
        // A job whose checkpoint another job's initFrom still uses stays (EndedJobs.warmStartedFrom).
        return jdbc.queryForList("SELECT id FROM training_job j WHERE " + JobStatus.terminalCondition()
                + " AND finished_at < CURRENT_TIMESTAMP - CAST(:age AS INTEGER) * INTERVAL '1' SECOND"
                + " AND NOT EXISTS (SELECT 1 FROM job_label l WHERE l.job_id = j.id AND l.label_key = 'keep' AND l.label_value = 'true')"
                + " AND NOT EXISTS (SELECT 1 FROM training_job w WHERE w.spec_json LIKE :prefix || j.id || '\"%')"
                + " ORDER BY finished_at, id LIMIT :limit",
                Map.of("age", age.toSeconds(), "limit", limit, "prefix", "%" + EndedJobs.INIT_FROM_JOB), String.class);
    }

    /** The task and tenant of each of the jobs that exist, in one query. */
    public Map<String, String[]> taskAndTenant(Collection<String> jobIds) {
        Map<String, String[]> owners = new java.util.HashMap<>();
        if (!jobIds.isEmpty()) {
            jdbc.query("SELECT id, task, tenant FROM training_job WHERE id IN (:ids)", Map.of("ids", jobIds),
                    rs -> { owners.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)}); });
        }
        return owners;
    }

    /** The attempts of each of the jobs, oldest first, in one query. */
    public Map<String, List<Attempt>> attempts(Collection<String> jobIds) {
        Map<String, List<Attempt>> byJob = new LinkedHashMap<>();
        if (jobIds.isEmpty()) {
            return byJob;
        }
        jdbc.query("""
                SELECT job_id, attempt, worker_id, device, started_at, ended_at, outcome, reason, resumed_from_checkpoint,
                       resumed_from_epoch
                FROM job_attempt WHERE job_id IN (:ids) ORDER BY job_id, attempt""", Map.of("ids", jobIds), rs -> {
            byJob.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>()).add(new Attempt(rs.getInt(2), rs.getString(3),
                    rs.getString(4), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), rs.getString(7), rs.getString(8),
                    (Integer) rs.getObject(9), (Integer) rs.getObject(10)));
        });
        return byJob;
    }

    /** The status of each of the jobs that exist, in one query. */
    public Map<String, JobStatus> statuses(Collection<String> jobIds) {
        Map<String, JobStatus> statuses = new java.util.HashMap<>();
        if (!jobIds.isEmpty()) {
            jdbc.query("SELECT id, status FROM training_job WHERE id IN (:ids)", Map.of("ids", jobIds),
                    rs -> { statuses.put(rs.getString(1), JobStatus.valueOf(rs.getString(2))); });
        }
        return statuses;
    }

    /** A classifier's final evaluation (JSON), once its last epoch has ended; call for a visible job only. */
    public Optional<String> evaluationJson(String id) {
        return jdbc.queryForList("SELECT evaluation_json FROM training_job WHERE id = :id", Map.of("id", id), String.class)
                .stream().filter(java.util.Objects::nonNull).findFirst();
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
