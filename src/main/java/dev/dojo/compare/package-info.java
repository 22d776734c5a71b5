/**
 * Runs compared side by side: {@code GET /api/compare} (one metric's series of up to
 * {@link dev.dojo.compare.Comparisons#MAX_JOBS} jobs, named by what differs between their resolved
 * specs) and {@code GET /api/compare/plot.svg} (the same in one chart). Jobs come through
 * {@code job.JobService} (a sweep's trials are the jobs labelled {@code sweep=<id>}), points through
 * {@code metric.MetricStore}; this package owns no table.
 */
package dev.dojo.compare;
