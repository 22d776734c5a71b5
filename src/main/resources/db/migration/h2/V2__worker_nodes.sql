-- One row per worker thread: what it runs and when it last showed signs of life.
CREATE TABLE worker_node (
    worker_id      VARCHAR(200) PRIMARY KEY,
    node_id        VARCHAR(200) NOT NULL,
    device         VARCHAR(50),
    started_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    heartbeat_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    current_job_id VARCHAR(36),
    stopped_at     TIMESTAMP(6) WITH TIME ZONE
);
