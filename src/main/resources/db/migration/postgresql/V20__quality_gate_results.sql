-- How a job's quality gates came out (JSON: each gate with its metric's final value and PASSED or
-- MISSED), written with the final status when training completes; null before, and for a job without gates.
ALTER TABLE training_job ADD COLUMN gate_results_json TEXT;
