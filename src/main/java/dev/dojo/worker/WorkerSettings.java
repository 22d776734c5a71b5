package dev.dojo.worker;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How this node's worker behaves.
 *
 * @param concurrency jobs trained at once on this node
 * @param pollInterval how often an idle worker looks for work (a local submit wakes it at once)
 * @param heartbeatInterval how often a running job's lease ({@code dojo.queue.lease}) is renewed
 * @param device {@code auto} (a GPU when DJL sees one), {@code cpu} or {@code gpu}
 * @param metricFlushInterval how long metrics may wait in memory before they are written
 * @param shutdownGrace how long a stopping worker waits for its jobs to checkpoint and go back to the queue
 * @param wakeOnSubmit whether a job submitted on this node wakes its idle workers at once (else they find it at their next poll)
 * @param warmUpSteps throw-away sine steps a node trains before its first claim, so the JIT has compiled the
 *                    training path before a real job runs; 0 turns the warm-up off
 */
@Validated
@ConfigurationProperties("dojo.worker")
public record WorkerSettings(
        @DefaultValue("1") @Min(1) @Max(64) int concurrency,
        @DefaultValue("1s") @NotNull Duration pollInterval,
        @DefaultValue("5s") @NotNull Duration heartbeatInterval,
        @DefaultValue("auto") @NotNull DeviceChoice device,
        @DefaultValue("200ms") @NotNull Duration metricFlushInterval,
        @DefaultValue("30s") @NotNull Duration shutdownGrace,
        @DefaultValue("true") boolean wakeOnSubmit,
        @DefaultValue("3000") @Min(0) @Max(100_000) int warmUpSteps) {

    /** Which device a worker trains on. */
    public enum DeviceChoice { AUTO, CPU, GPU }
}
