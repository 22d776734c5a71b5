/**
 * The queue held in the database: claims, leases, heartbeats, fenced writes and requeues. The only
 * code that moves a job between QUEUED and RUNNING, and every write in it is conditional on the
 * attempt a worker holds.
 */
package dev.dojo.queue;
