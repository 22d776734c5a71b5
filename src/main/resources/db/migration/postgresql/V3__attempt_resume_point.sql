-- Where each attempt resumed from, so a resumed run can be checked against the checkpoint it found.
ALTER TABLE job_attempt ADD COLUMN resumed_from_checkpoint INT;
ALTER TABLE job_attempt ADD COLUMN resumed_from_epoch INT;
