/** Metric rows (job, epoch, step, name, value, time): how they are written in batches and read back in pages. */
package dev.dojo.metric;
