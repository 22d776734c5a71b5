-- Tenancy: every job belongs to a tenant (jobs from before keys existed belong to "local") and
-- records the key that submitted it.
ALTER TABLE training_job RENAME COLUMN owner TO tenant;
ALTER TABLE training_job ADD COLUMN submitted_by_key VARCHAR(40);
CREATE INDEX training_job_tenant ON training_job (tenant, status, created_at);

-- API keys: only the SHA-256 of a key is stored, never the key.
CREATE TABLE api_key (
    id            VARCHAR(40)  PRIMARY KEY,
    tenant        VARCHAR(64)  NOT NULL,
    name          VARCHAR(100),
    scopes        VARCHAR(200) NOT NULL,
    secret_sha256 VARCHAR(64)  NOT NULL,
    created_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_used_at  TIMESTAMP(6) WITH TIME ZONE,
    revoked_at    TIMESTAMP(6) WITH TIME ZONE
);

-- One row per tenant that has submitted or been given a quota: its limits (null: the defaults),
-- when its last job started (fair share), and the row a submit locks to count the tenant's queue.
CREATE TABLE tenant (
    tenant           VARCHAR(64) PRIMARY KEY,
    max_queued_jobs  INT,
    max_running_jobs INT,
    last_started_at  TIMESTAMP(6) WITH TIME ZONE
);
INSERT INTO tenant (tenant) SELECT DISTINCT tenant FROM training_job;
