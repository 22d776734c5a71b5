-- Which attempt wrote each metric and checkpoint row, so a takeover can be audited.
ALTER TABLE job_metric ADD COLUMN attempt INT;
ALTER TABLE job_checkpoint ADD COLUMN attempt INT;
