package dev.dojo.job;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits applied to submitted jobs.
 *
 * @param maxAttempts how many attempts a job gets before it is FAILED
 * @param cancelWaitSeconds how long a cancel of a running job waits for the worker to confirm
 */
@Validated
@ConfigurationProperties("dojo.jobs")
public record JobSettings(
        @DefaultValue("3") @Min(1) @Max(100) int maxAttempts,
        @DefaultValue("10") @Min(0) @Max(60) int cancelWaitSeconds) {}
