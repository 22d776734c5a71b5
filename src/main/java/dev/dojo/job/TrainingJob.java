package dev.dojo.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A job row. The API creates it; after that, workers move it only through the queue's conditional
 * updates, each fenced by the attempt they hold.
 */
@Entity
@Table(name = "training_job")
public class TrainingJob {

    public static final String DEFAULT_OWNER = "local";

    @Id
    private String id;
    private String owner;
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

    protected TrainingJob() {}

    TrainingJob(String task, String name, String specJson, int priority, Integer maxRuntimeSeconds, int maxAttempts, int epochs, Instant now) {
        this.id = UUID.randomUUID().toString();
        this.owner = DEFAULT_OWNER;
        this.task = task;
        this.name = name;
        this.status = JobStatus.QUEUED;
        this.specJson = specJson;
        this.priority = priority;
        this.maxRuntimeSeconds = maxRuntimeSeconds;
        this.maxAttempts = maxAttempts;
        this.epochs = epochs;
        this.createdAt = now;
    }

    TrainingJob(String task, String name, String specJson, int priority, Integer maxRuntimeSeconds, int maxAttempts, int epochs,
                int gpusRequired, Instant now) {
        this(task, name, specJson, priority, maxRuntimeSeconds, maxAttempts, epochs, now);
        this.gpusRequired = gpusRequired;
    }

    public String getId() { return id; }
    public String getOwner() { return owner; }
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
}
