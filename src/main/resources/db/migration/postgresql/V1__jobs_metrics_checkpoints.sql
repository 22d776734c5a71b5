CREATE TABLE training_job (
    id                  VARCHAR(36)   PRIMARY KEY,
    owner               VARCHAR(100)  NOT NULL DEFAULT 'local',
    task                VARCHAR(50)   NOT NULL,
    name                VARCHAR(200),
    status              VARCHAR(20)   NOT NULL,
    spec_json           TEXT NOT NULL,
    priority            INT           NOT NULL,
    max_runtime_seconds INT,
    max_attempts        INT           NOT NULL,
    epochs              INT           NOT NULL,
    current_epoch       INT           NOT NULL DEFAULT 0,
    attempt             INT           NOT NULL DEFAULT 0,
    worker_id           VARCHAR(200),
    device              VARCHAR(50),
    lease_expires_at    TIMESTAMP(6) WITH TIME ZONE,
    heartbeat_at        TIMESTAMP(6) WITH TIME ZONE,
    cancel_requested    BOOLEAN       NOT NULL DEFAULT FALSE,
    created_at          TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    started_at          TIMESTAMP(6) WITH TIME ZONE,
    finished_at         TIMESTAMP(6) WITH TIME ZONE,
    failure_reason      VARCHAR(4000),
    latest_metrics_json TEXT
);
CREATE INDEX training_job_queue ON training_job (status, priority DESC, created_at);
CREATE INDEX training_job_created ON training_job (created_at DESC);

CREATE TABLE job_attempt (
    job_id      VARCHAR(36)  NOT NULL REFERENCES training_job (id) ON DELETE CASCADE,
    attempt     INT          NOT NULL,
    worker_id   VARCHAR(200) NOT NULL,
    device      VARCHAR(50),
    started_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    ended_at    TIMESTAMP(6) WITH TIME ZONE,
    outcome     VARCHAR(30),
    reason      VARCHAR(4000),
    PRIMARY KEY (job_id, attempt)
);

CREATE TABLE job_metric (
    id           BIGSERIAL PRIMARY KEY,
    job_id       VARCHAR(36)  NOT NULL REFERENCES training_job (id) ON DELETE CASCADE,
    epoch        INT          NOT NULL,
    step         BIGINT       NOT NULL,
    name         VARCHAR(100) NOT NULL,
    metric_value DOUBLE PRECISION NOT NULL,
    recorded_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT job_metric_key UNIQUE (job_id, name, step)
);
CREATE INDEX job_metric_by_step ON job_metric (job_id, step, id);

CREATE TABLE job_checkpoint (
    id                BIGSERIAL PRIMARY KEY,
    job_id            VARCHAR(36) NOT NULL REFERENCES training_job (id) ON DELETE CASCADE,
    checkpoint_number INT         NOT NULL,
    epoch             INT         NOT NULL,
    step              BIGINT      NOT NULL,
    size_bytes        BIGINT      NOT NULL,
    sha256            VARCHAR(64) NOT NULL,
    data              BYTEA       NOT NULL,
    created_at        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT job_checkpoint_number UNIQUE (job_id, checkpoint_number)
);
