/**
 * Workers: the threads that claim jobs from the database queue and run them, the listener that
 * writes their metrics and checkpoints behind the attempt fence, and the heartbeat that keeps
 * their leases.
 */
package dev.dojo.worker;
