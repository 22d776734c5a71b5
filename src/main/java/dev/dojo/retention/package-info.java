/**
 * Deleting and keeping: {@code DELETE /api/jobs/{id}}, the retention sweep of
 * {@code dojo.jobs.retention}, the purge of expired Idempotency-Keys, and the checkpoint bytes gauge.
 * It owns no table: a job is deleted through the API of each table's owner ({@code metric},
 * {@code checkpoint}, {@code joblog}, {@code job}, and {@code queue} last), in one transaction.
 */
package dev.dojo.retention;
