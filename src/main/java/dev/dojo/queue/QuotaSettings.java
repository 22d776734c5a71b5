package dev.dojo.queue;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every tenant's limits, unless an admin set others for it ({@code PUT /api/tenants/{tenant}/quota}).
 *
 * @param maxQueuedJobs jobs a tenant may have waiting in the queue; a submit beyond it is a 429
 * @param maxRunningJobs jobs of a tenant that may run at once; unset: no limit
 * @param retryAfter what a 429 for a full queue tells the client to wait
 */
@Validated
@ConfigurationProperties("dojo.quotas")
public record QuotaSettings(
        @DefaultValue("100") @Min(0) @Max(1_000_000) int maxQueuedJobs,
        @Min(0) @Max(1_000_000) Integer maxRunningJobs,
        @DefaultValue("30s") @NotNull Duration retryAfter) {}
