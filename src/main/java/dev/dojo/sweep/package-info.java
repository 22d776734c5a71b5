/**
 * Sweeps: hyperparameter searches (grid or random) over a base job spec, each trial an ordinary job
 * submitted through {@code job}'s API as the sweep's tenant and labelled {@code sweep=<id>}. A single
 * driver per sweep (a fenced lease in the database, on api nodes) launches trials up to the parallelism,
 * stops trials by the median or ASHA rule, and ends the sweep on its goal, its failures or its last
 * trial. This package owns the {@code sweep} and {@code sweep_trial} tables.
 */
package dev.dojo.sweep;
