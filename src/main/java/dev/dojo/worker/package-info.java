/**
 * Workers: the threads that claim jobs from the database queue and run them, the listener that
 * writes their metrics and checkpoints behind the attempt fence, the heartbeat that keeps their
 * leases, and the rolled-back job a node rehearses before its first claim.
 */
package dev.dojo.worker;
