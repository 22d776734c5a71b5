package dev.dojo.queue;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.hibernate.annotations.Immutable;
import org.springframework.data.domain.Persistable;
import java.time.Instant;
import java.util.UUID;

/**
 * A job row, read through JPA. It is inserted by {@link JobQueue#enqueue} and never updated through
 * JPA: every later change is one of the queue's conditional updates, each a move in
 * {@link JobStatus}'s table and, for a worker, fenced by the attempt it holds.
 */
@Entity
@Immutable
@Table(name = "training_job")
public class TrainingJob implements Persistable<String> {

    @Id
    private String id;
    private String tenant;
    private String submittedByKey;
    private String task;
    private String name;
    @Enumerated(EnumType.STRING)
    private JobStatus status;
    @Column(name = "spec_json")
    private String specJson;
    private int priority;
    private Integer maxRuntimeSeconds;
    private int maxAttempts;
    private int epochs;
    private int currentEpoch;
    private int attempt;
    private String workerId;
    private String device;
    private Instant leaseExpiresAt;
    private Instant heartbeatAt;
    private boolean cancelRequested;
    private Instant createdAt;
    private Instant startedAt;
    private Instant finishedAt;
    private String failureReason;
    @Column(name = "latest_metrics_json")
    private String latestMetricsJson;
    private int gpusRequired;
    @Column(name = "gate_results_json")
    private String gateResultsJson;
    /** True for a job built here and not saved yet: it is inserted, never merged. */
    @Transient
    private boolean fresh;

    protected TrainingJob() {}

    TrainingJob(String tenant, String submittedByKey, String task, String name, String specJson, int priority, Integer maxRuntimeSeconds,
                int maxAttempts, int epochs, int gpusRequired, Instant now) {
        this.id = UUID.randomUUID().toString();
        this.tenant = tenant;
        this.submittedByKey = submittedByKey;
        this.task = task;
        this.name = name;
        this.status = JobStatus.QUEUED;
        this.specJson = specJson;
        this.priority = priority;
        this.maxRuntimeSeconds = maxRuntimeSeconds;
        this.maxAttempts = maxAttempts;
        this.epochs = epochs;
        this.gpusRequired = gpusRequired;
        this.createdAt = now;
        this.fresh = true;
    }

    @Override
    public boolean isNew() {
        return fresh;
    }

    public String getId() { return id; }
    public String getTenant() { return tenant; }
    public String getSubmittedByKey() { return submittedByKey; }
    public String getTask() { return task; }
    public String getName() { return name; }
    public JobStatus getStatus() { return status; }
    public String getSpecJson() { return specJson; }
    public int getPriority() { return priority; }
    public Integer getMaxRuntimeSeconds() { return maxRuntimeSeconds; }
    public int getMaxAttempts() { return maxAttempts; }
    public int getEpochs() { return epochs; }
    public int getCurrentEpoch() { return currentEpoch; }
    public int getAttempt() { return attempt; }
    public String getWorkerId() { return workerId; }
    public String getDevice() { return device; }
    public Instant getLeaseExpiresAt() { return leaseExpiresAt; }
    public Instant getHeartbeatAt() { return heartbeatAt; }
    public boolean isCancelRequested() { return cancelRequested; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getStartedAt() { return startedAt; }
    public Instant getFinishedAt() { return finishedAt; }
    public String getFailureReason() { return failureReason; }
    public String getLatestMetricsJson() { return latestMetricsJson; }
    public int getGpusRequired() { return gpusRequired; }
    /** How the spec's quality gates came out (JSON), once checked at the end of training; null before. */
    public String getGateResultsJson() { return gateResultsJson; }
}
