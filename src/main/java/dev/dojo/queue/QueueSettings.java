package dev.dojo.queue;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the queue judges its workers.
 *
 * @param lease how long a claim stays valid without a heartbeat
 * @param sweepInterval how often every node looks for claims whose lease ran out
 * @param restartGrace after a PostgreSQL restart, how long past a lease before any lease is judged
 */
@Validated
@ConfigurationProperties("dojo.queue")
public record QueueSettings(
        @DefaultValue("30s") @NotNull Duration lease,
        @DefaultValue("5s") @NotNull Duration sweepInterval,
        @DefaultValue("30s") @NotNull Duration restartGrace) {

    public QueueSettings {
        if (lease != null && lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("dojo.queue.lease must be at least 1s, was " + lease);
        }
        if (sweepInterval != null && (sweepInterval.isZero() || sweepInterval.isNegative())) {
            throw new IllegalArgumentException("dojo.queue.sweep-interval must be positive, was " + sweepInterval);
        }
        if (restartGrace != null && restartGrace.isNegative()) {
            throw new IllegalArgumentException("dojo.queue.restart-grace must not be negative, was " + restartGrace);
        }
    }
}
