package dev.dojo.queue;

/**
 * Published on the node that deleted a job, once the deletion committed, so that what the node holds
 * of the job in memory (a served model, a remembered spec) goes too. Other nodes find out when they
 * next read the job.
 */
public record JobDeleted(String jobId) {}
