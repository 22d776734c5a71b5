package dev.dojo.queue;

/** A job a worker holds: the attempt number is its fence. */
public record Claim(String jobId, int attempt, String task, String specJson, Integer maxRuntimeSeconds, String workerId, String device) {}
