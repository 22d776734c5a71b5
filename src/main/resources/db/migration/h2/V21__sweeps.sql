-- Sweeps (package sweep): one row per sweep, with the lease of the api node that drives it. The
-- lease_epoch grows on every takeover; every write of a driver is conditional on the epoch it holds.
CREATE TABLE sweep (
    id                VARCHAR(36)   PRIMARY KEY,
    tenant            VARCHAR(64)   NOT NULL,
    submitted_by_key  VARCHAR(64),
    status            VARCHAR(20)   NOT NULL,
    reason            VARCHAR(4000),
    algorithm         VARCHAR(20)   NOT NULL,
    request_json      TEXT          NOT NULL,
    plan_json         TEXT          NOT NULL,
    planned_trials    INT           NOT NULL,
    created_at        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    ended_at          TIMESTAMP(6) WITH TIME ZONE,
    driver            VARCHAR(200),
    lease_epoch       BIGINT        NOT NULL DEFAULT 0,
    lease_expires_at  TIMESTAMP(6) WITH TIME ZONE
);
CREATE INDEX sweep_by_status ON sweep (status, lease_expires_at);
CREATE INDEX sweep_by_tenant ON sweep (tenant, created_at DESC);

-- One row per trial, written (fenced) before its job is submitted with an Idempotency-Key derived
-- from (sweep, number): a driver that dies between the two leaves a row that the next one completes.
CREATE TABLE sweep_trial (
    sweep_id         VARCHAR(36)  NOT NULL REFERENCES sweep (id) ON DELETE CASCADE,
    trial_number     INT          NOT NULL,
    job_id           VARCHAR(36),
    parameters_json  TEXT         NOT NULL,
    stopped_by       VARCHAR(20),
    stop_reason      VARCHAR(1000),
    rung             INT          NOT NULL DEFAULT -1,
    created_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    PRIMARY KEY (sweep_id, trial_number)
);

-- Why a job was asked to stop (e.g. a sweep's early-stopping rule), kept in its failure_reason when it ends CANCELLED.
ALTER TABLE training_job ADD COLUMN cancel_reason VARCHAR(1000);
