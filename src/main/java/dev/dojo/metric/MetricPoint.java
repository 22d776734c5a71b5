package dev.dojo.metric;

import java.time.Instant;

/** One recorded value, as the API shows it. */
public record MetricPoint(String name, int epoch, long step, double value, Instant recordedAt) {}
