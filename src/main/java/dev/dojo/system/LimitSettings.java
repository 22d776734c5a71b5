package dev.dojo.system;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits that keep one client's requests from hurting the node; see docs/limits.md. The image and
 * instance limits of predictions are in {@code dojo.prediction.*}.
 *
 * @param maxBodySize the largest request body, with or without a Content-Length (413 beyond it);
 *     multipart uploads are held to the same size
 * @param maxJsonDepth how deeply arrays and objects may nest in a JSON body (400 beyond it)
 * @param maxLongPolls long polls ({@code GET /api/jobs/{id}?waitSeconds=n}) open at once on this node (429 beyond it)
 * @param maxEventStreams event streams ({@code GET /api/jobs/{id}/events}) open at once on this node (429 beyond it)
 * @param maxLongPollsPerTenant long polls one tenant may hold open at once on this node (429 beyond it), so that
 *     one tenant cannot take every place of {@code maxLongPolls}
 * @param maxEventStreamsPerTenant event streams one tenant may hold open at once on this node (429 beyond it)
 * @param retryAfter what a 429 answer's Retry-After header asks a client to wait
 */
@Validated
@ConfigurationProperties("dojo.limits")
public record LimitSettings(
        @DefaultValue("16MB") @NotNull DataSize maxBodySize,
        @DefaultValue("32") @Min(4) @Max(1000) int maxJsonDepth,
        @DefaultValue("2000") @Min(1) @Max(100_000) int maxLongPolls,
        @DefaultValue("500") @Min(1) @Max(100_000) int maxEventStreams,
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxLongPollsPerTenant,
        @DefaultValue("250") @Min(1) @Max(100_000) int maxEventStreamsPerTenant,
        @DefaultValue("5s") @NotNull Duration retryAfter) {

    public LimitSettings {
        if (maxBodySize != null && (maxBodySize.toBytes() < 1024 || maxBodySize.toGigabytes() >= 2)) {
            throw new IllegalArgumentException("dojo.limits.max-body-size must be between 1KB and 2GB, was " + maxBodySize);
        }
        if (retryAfter != null && (retryAfter.toSeconds() < 1 || retryAfter.toSeconds() > 3600)) {
            throw new IllegalArgumentException("dojo.limits.retry-after must be between 1s and 1h, was " + retryAfter);
        }
    }

    /** Defaults, for code running without the Spring context (web slice tests). */
    public static LimitSettings defaults() {
        return new LimitSettings(DataSize.ofMegabytes(16), 32, 2000, 500, 1000, 250, Duration.ofSeconds(5));
    }
}
