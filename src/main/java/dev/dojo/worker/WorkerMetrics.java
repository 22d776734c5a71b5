package dev.dojo.worker;

import dev.dojo.queue.QueueSettings;
import dev.dojo.queue.WorkerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * What the workers report to Micrometer ({@code /actuator/prometheus}): how long jobs ran and how
 * they ended, training throughput, checkpoint sizes, refused writes, and how many worker slots are
 * live across all nodes. The meters are registered on every node, so every node exports the same
 * names; the job, throughput and checkpoint meters only move on nodes that train.
 */
@Component
class WorkerMetrics {

    /** How long a cached live-worker count is served before the table is read again. */
    private static final Duration CACHE = Duration.ofSeconds(5);

    private final MeterRegistry meters;
    private final Counter refusedWrites;

    WorkerMetrics(MeterRegistry meters, WorkerRegistry registry, QueueSettings settings) {
        this.meters = meters;
        this.refusedWrites = Counter.builder("dojo.worker.fenced.writes.refused")
                .description("Writes refused because another attempt holds the job").register(meters);
        Supplier<Number> live = cached(() -> registry.live(settings.lease()).size());
        Gauge.builder("dojo.workers.live", () -> live.get().doubleValue())
                .description("Worker slots on all nodes that heartbeat within the lease and have not stopped (the queue's worker registry)")
                .register(meters);
    }

    /** One attempt ended: how long it ran on this worker and how it ended (succeeded, failed, crashed, ...). */
    void jobEnded(String task, String outcome, Duration ran) {
        Timer.builder("dojo.jobs.duration")
                .description("Wall time of each job attempt on a worker, from claim to its end, by task and outcome")
                .tags("task", task, "outcome", outcome)
                .register(meters).record(ran);
    }

    /** Training throughput of one attempt: the samples of the epochs it trained per second of training. */
    void throughput(String task, double samplesPerSecond) {
        DistributionSummary.builder("dojo.training.samples.per.second")
                .description("Training samples (sine points, images) per second of one attempt's training: samples per epoch x epochs / training time")
                .tags("task", task)
                .register(meters).record(samplesPerSecond);
    }

    /** A checkpoint was written to the database. */
    void checkpointWritten(String task, int bytes) {
        DistributionSummary.builder("dojo.checkpoint.size")
                .description("Size of each checkpoint written").baseUnit("bytes")
                .tags("task", task)
                .register(meters).record(bytes);
    }

    void refusedWrite() {
        refusedWrites.increment();
    }

    /** A value read at most once per {@link #CACHE}, so that scrapes cost one query every few seconds at most. */
    static Supplier<Number> cached(Supplier<Number> read) {
        return new Supplier<>() {
            private long readAt;
            private Number value = 0;

            @Override
            public synchronized Number get() {
                long now = System.nanoTime();
                if (readAt == 0 || now - readAt > CACHE.toNanos()) {
                    try {
                        value = read.get();
                    } catch (RuntimeException e) {
                        // The database is away: keep the last value rather than fail the scrape.
                    }
                    readAt = now;
                }
                return value;
            }
        };
    }
}
