-- The event stream pages through a job's metric rows by id (WHERE job_id = ? AND id > ? ORDER BY id);
-- job_metric_by_step orders them by step, so without this the stream sorted every row of the job.
CREATE INDEX job_metric_by_id ON job_metric (job_id, id);
