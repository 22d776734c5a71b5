/** Checkpoint rows: numbered per job, stored in the database with size and SHA-256, streamed on download. */
package dev.dojo.checkpoint;
