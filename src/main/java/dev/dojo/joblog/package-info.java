/**
 * Per-job logs: the lines a worker writes about one job (start, resume point, epochs,
 * checkpoints, errors, end), stored in the {@code job_log} table so that any api node can serve
 * them, and the {@code GET /api/jobs/{id}/logs} endpoint.
 */
package dev.dojo.joblog;
