package dev.dojo.event;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How event streams poll the database.
 *
 * @param pollInterval how often a stream looks for new rows; the latency of a live chart
 * @param heartbeat how long a stream may stay silent before a comment line keeps proxies from closing it
 * @param maxDuration how long one stream lives; clients reconnect with Last-Event-ID and lose nothing
 * @param threads threads that poll for all open streams
 */
@ConfigurationProperties("dojo.events")
record EventSettings(
        @DefaultValue("250ms") Duration pollInterval,
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("30m") Duration maxDuration,
        @DefaultValue("4") int threads) {}
