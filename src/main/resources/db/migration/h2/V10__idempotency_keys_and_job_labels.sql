-- Idempotency-Key of POST /api/jobs, per tenant: the fingerprint of the resolved spec the first
-- request sent, and the job it created (null while that request is still being processed; the
-- claim token lets only that request fill it in). Rows are purged once expires_at has passed.
CREATE TABLE idempotency_key (
    tenant      VARCHAR(64)  NOT NULL,
    idem_key    VARCHAR(255) NOT NULL,
    fingerprint VARCHAR(64)  NOT NULL,
    claim_token VARCHAR(36)  NOT NULL,
    job_id      VARCHAR(36),
    created_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant, idem_key)
);
CREATE INDEX idempotency_key_expiry ON idempotency_key (expires_at);
CREATE INDEX idempotency_key_job ON idempotency_key (job_id);

-- A job's labels (also in its spec_json), one row each, for GET /api/jobs?label=key=value.
CREATE TABLE job_label (
    job_id      VARCHAR(36)  NOT NULL REFERENCES training_job (id) ON DELETE CASCADE,
    label_key   VARCHAR(63)  NOT NULL,
    label_value VARCHAR(255) NOT NULL,
    PRIMARY KEY (job_id, label_key)
);
CREATE INDEX job_label_by_pair ON job_label (label_key, label_value, job_id);
