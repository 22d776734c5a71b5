-- A classifier's closing evaluation on its test set: confusion matrix and per-class accuracy, as JSON.
ALTER TABLE training_job ADD COLUMN evaluation_json VARCHAR(1000000);
