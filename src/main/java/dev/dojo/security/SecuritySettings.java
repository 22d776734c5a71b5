package dev.dojo.security;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How requests are authenticated.
 *
 * @param bootstrapKey a secret of at least 32 characters; when set, an {@code admin} key of tenant
 *                     {@code admin} with this secret exists from start-up, so a deployment is set up
 *                     from a Secret with no manual step. Clients present it as {@code Bearer <secret>}.
 * @param metricsKey a secret of at least 32 characters; when set, a key with only the {@code metrics} scope
 *                   (tenant {@code admin}) with this secret exists from start-up, for a Prometheus that a
 *                   deployment configures from the same Secret
 * @param allowAnonymous accept requests without a key, as tenant {@code local} with every scope, even on
 *                       a non-loopback address or once keys exist; a warning is logged at every start
 * @param keyCacheTtl how long a node trusts what it read about a key; a revoked key is refused by every
 *                    node within this time (at most 2 s)
 */
@Validated
@ConfigurationProperties("dojo.security")
public record SecuritySettings(
        String bootstrapKey,
        String metricsKey,
        @DefaultValue("false") boolean allowAnonymous,
        @DefaultValue("1s") @NotNull Duration keyCacheTtl) {

    /** Shortest bootstrap secret accepted. */
    public static final int MIN_BOOTSTRAP_LENGTH = 32;

    public SecuritySettings {
        bootstrapKey = checked("dojo.security.bootstrap-key (DOJO_SECURITY_BOOTSTRAP_KEY)", bootstrapKey);
        metricsKey = checked("dojo.security.metrics-key (DOJO_SECURITY_METRICS_KEY)", metricsKey);
        if (bootstrapKey != null && bootstrapKey.equals(metricsKey)) {
            throw new IllegalArgumentException("dojo.security.metrics-key must differ from dojo.security.bootstrap-key");
        }
        if (keyCacheTtl != null && (keyCacheTtl.isNegative() || keyCacheTtl.compareTo(Duration.ofSeconds(2)) > 0)) {
            throw new IllegalArgumentException("dojo.security.key-cache-ttl must be between 0 and 2s (revocation must reach "
                    + "every node within 2 s), was " + keyCacheTtl);
        }
    }

    /** A configured secret, or null when unset; refuses one too short, too long or with spaces, without echoing it. */
    private static String checked(String setting, String secret) {
        if (secret == null || secret.isBlank()) {
            return null;
        }
        if (secret.length() < MIN_BOOTSTRAP_LENGTH || secret.length() > 512 || !secret.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException(setting + " must be " + MIN_BOOTSTRAP_LENGTH
                    + " to 512 printable characters without spaces; it has " + secret.length()
                    + ". Generate one with: openssl rand -base64 48 | tr -d '/+=\\n'");
        }
        return secret;
    }

    /** Never print the secrets, whatever logs the settings. */
    @Override
    public String toString() {
        return "SecuritySettings[bootstrapKey=" + (bootstrapKey == null ? "unset" : "set") + ", metricsKey="
                + (metricsKey == null ? "unset" : "set") + ", allowAnonymous=" + allowAnonymous
                + ", keyCacheTtl=" + keyCacheTtl + "]";
    }
}
