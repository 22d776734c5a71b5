package dev.dojo.sweep;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How api nodes drive sweeps.
 *
 * @param tick how often a node looks at the sweeps it drives (and at sweeps no live node drives)
 * @param lease how long a node's hold on a sweep lasts without renewal; a node that died loses its
 *              sweeps to another after this long
 */
@Validated
@ConfigurationProperties("dojo.sweeps")
public record SweepSettings(
        @DefaultValue("500ms") @NotNull Duration tick,
        @DefaultValue("15s") @NotNull Duration lease) {

    public SweepSettings {
        if (tick != null && (tick.compareTo(Duration.ofMillis(50)) < 0 || tick.compareTo(Duration.ofMinutes(1)) > 0)) {
            throw new IllegalArgumentException("dojo.sweeps.tick must be between 50ms and 1m, was " + tick);
        }
        if (lease != null && tick != null && lease.compareTo(tick.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("dojo.sweeps.lease must be at least three ticks (" + tick.multipliedBy(3) + "), was " + lease);
        }
    }
}
