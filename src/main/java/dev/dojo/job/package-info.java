/**
 * The job resource as the API shows it: the request, spec and view records, and the service and
 * controllers that submit, list, watch and cancel jobs and show a job's model and evaluation. The
 * rows themselves belong to {@code queue}, which this package calls; this package owns one table,
 * {@code idempotency_key} (the Idempotency-Keys of submits, {@link dev.dojo.job.IdempotencyKeys}).
 */
package dev.dojo.job;
