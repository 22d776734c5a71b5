/**
 * The queue held in the database, and the owner of its tables: {@code training_job},
 * {@code job_attempt}, {@code job_label} and {@code worker_node}. The status machine ({@link dev.dojo.queue.JobStatus})
 * and every write that moves a job through it (insert, claim, heartbeat, fenced writes, finish,
 * requeue, cancel, lease sweep) live in {@link dev.dojo.queue.JobQueue}; every read for other
 * packages in {@link dev.dojo.queue.JobRecords}; the queue's part in deleting an ended job in
 * {@link dev.dojo.queue.EndedJobs}; the worker membership in
 * {@link dev.dojo.queue.WorkerRegistry}.
 */
package dev.dojo.queue;
