package dev.dojo.checkpoint;

import java.time.Instant;

/** A checkpoint as listed: its number within the job, where training was, and its size and hash. */
public record CheckpointInfo(int number, int epoch, long step, long sizeBytes, String sha256, Instant createdAt) {}
