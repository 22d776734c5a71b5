package dev.dojo.job;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits applied to submitted jobs, and how long what they leave behind is kept.
 *
 * @param maxAttempts how many attempts a job gets before it is FAILED
 * @param cancelWaitSeconds how long a cancel of a running job waits for the worker to confirm
 * @param idempotencyTtl how long an Idempotency-Key of a submit is remembered (1 s to 30 days)
 * @param retention how long an ended job is kept before the retention sweep deletes it (at least
 *        1 s); unset (the default): kept forever. Jobs labelled {@code keep=true} are never swept
 */
@Validated
@ConfigurationProperties("dojo.jobs")
public record JobSettings(
        @DefaultValue("3") @Min(1) @Max(100) int maxAttempts,
        @DefaultValue("10") @Min(0) @Max(60) int cancelWaitSeconds,
        @DefaultValue("24h") @NotNull Duration idempotencyTtl,
        Duration retention) {

    public JobSettings {
        if (idempotencyTtl != null && (idempotencyTtl.compareTo(Duration.ofSeconds(1)) < 0
                || idempotencyTtl.compareTo(Duration.ofDays(30)) > 0)) {
            throw new IllegalArgumentException("dojo.jobs.idempotency-ttl must be between 1s and 30d, was " + idempotencyTtl);
        }
        if (retention != null && retention.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("dojo.jobs.retention must be at least 1s (or unset: keep forever), was " + retention);
        }
    }
}
