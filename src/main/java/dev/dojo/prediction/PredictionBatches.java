package dev.dojo.prediction;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Dynamic batching: concurrent requests for the same model and checkpoint are gathered into one
 * forward pass, as TorchServe and Triton do. The first request of a batch leads it: it waits until
 * the batch holds {@code dojo.prediction.batch.max-size} instances, or {@code max-delay} has passed
 * since it came, or no other request for the job is still on its way (decoding its instances), and
 * then runs the pass for everyone and hands each request its own rows. A lone client therefore waits
 * for nobody. With {@code dojo.prediction.batch.wait-for=delay} the first request always waits the whole
 * delay, as Triton's and TorchServe's batchers do: more company under load, max-delay more latency
 * for a lone client. {@code auto} waits the whole delay only while other requests for the job are
 * in flight (decoding, batched or in a pass): busy clients send again soon, while a lone client,
 * whose one request is the only one in flight, still waits for nobody. Instances are decoded and checked before a request joins, so a bad instance fails only
 * its own request; a batch only ever holds one checkpoint's requests.
 */
@Component
class PredictionBatches {

    /** Runs one forward pass over instances held back to back. */
    interface Pass {
        float[][] run(float[] inputs, int instances);
    }

    /**
     * A request for a job, from the moment it starts decoding until it is answered: counted as
     * arriving until it joins a batch (or fails before), and as in flight until it is closed.
     */
    final class Arrival implements AutoCloseable {
        private final String jobId;
        private boolean joined;
        private boolean closed;

        private Arrival(String jobId) {
            this.jobId = jobId;
        }

        /** The request has joined a batch, or run its own pass: no batch need wait for it any more. */
        void joined() {
            synchronized (PredictionBatches.this) {
                if (!joined) {
                    joined = true;
                    arriving.computeIfPresent(jobId, (k, n) -> n <= 1 ? null : n - 1);
                    PredictionBatches.this.notifyAll();
                }
            }
        }

        /** The request is answered, or failed. */
        @Override
        public void close() {
            synchronized (PredictionBatches.this) {
                joined();
                if (!closed) {
                    closed = true;
                    inFlight.computeIfPresent(jobId, (k, n) -> n <= 1 ? null : n - 1);
                    PredictionBatches.this.notifyAll();
                }
            }
        }
    }

    private record Member(float[] inputs, int count, CompletableFuture<float[][]> rows) {}

    private static final class Batch {
        final List<Member> members = new ArrayList<>();
        final long deadline;
        int instances;

        Batch(long deadline) {
            this.deadline = deadline;
        }
    }

    private final int maxSize;
    private final long maxDelayNanos;
    private final PredictionSettings.Wait waitFor;
    private final DistributionSummary sizes;
    private final Timer passes;
    /** Guarded by this: requests per job that have arrived and not yet joined a batch. */
    private final Map<String, Integer> arriving = new HashMap<>();
    /** Guarded by this: requests per job that have arrived and are not answered yet. */
    private final Map<String, Integer> inFlight = new HashMap<>();
    /** Guarded by this: the batch still taking members, per model. */
    private final Map<ModelCache.Key, Batch> open = new HashMap<>();

    PredictionBatches(PredictionSettings settings, MeterRegistry meters) {
        this.maxSize = settings.batch().maxSize();
        this.maxDelayNanos = settings.batch().maxDelay().toNanos();
        this.waitFor = settings.batch().waitFor();
        this.sizes = DistributionSummary.builder("dojo.prediction.batch.size")
                .description("Instances per forward pass of the prediction batcher")
                .baseUnit("instances")
                .register(meters);
        this.passes = Timer.builder("dojo.prediction.forward")
                .description("Wall time of each forward pass of the prediction batcher (a model's load on a cache miss included)")
                .register(meters);
    }

    /** Counts a request for the job as on its way; close it once the request joined a batch or failed. */
    synchronized Arrival arrive(String jobId) {
        arriving.merge(jobId, 1, Integer::sum);
        inFlight.merge(jobId, 1, Integer::sum);
        return new Arrival(jobId);
    }

    /** The rows of this request's instances, from a forward pass that may also serve other requests. */
    float[][] forward(ModelCache.Key key, Arrival arrival, float[] inputs, int count, Pass pass) {
        if (maxSize <= 1 || count >= maxSize) {
            arrival.joined();
            sizes.record(count);
            return timed(pass, inputs, count);
        }
        Member me = new Member(inputs, count, new CompletableFuture<>());
        Batch batch;
        boolean leader;
        synchronized (this) {
            arrival.joined();
            batch = open.get(key);
            leader = batch == null || batch.instances + count > maxSize;
            if (leader) {
                batch = new Batch(System.nanoTime() + maxDelayNanos);
                open.put(key, batch);
            }
            batch.members.add(me);
            batch.instances += count;
            notifyAll();
        }
        if (leader) {
            lead(key, batch, pass);
        }
        try {
            return me.rows().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private float[][] timed(Pass pass, float[] inputs, int count) {
        long start = System.nanoTime();
        try {
            return pass.run(inputs, count);
        } finally {
            passes.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** Instances in the open batch for the model, not yet in a pass; for tests that step through a batch. */
    synchronized int waitingInstances(ModelCache.Key key) {
        Batch batch = open.get(key);
        return batch == null ? 0 : batch.instances;
    }

    /** Guarded by this: whether the leader of the batch should go on waiting for company (the deadline aside). */
    private boolean worthWaiting(String jobId, Batch batch) {
        return switch (waitFor) {
            case DELAY -> true;
            case ARRIVALS -> arriving.containsKey(jobId);
            // Requests being decoded will join; requests being answered elsewhere (in a pass, or in a
            // batch of the job's other checkpoint) mean clients that are busy and soon send again.
            case AUTO -> arriving.containsKey(jobId) || inFlight.getOrDefault(jobId, 0) > batch.members.size();
        };
    }

    private void lead(ModelCache.Key key, Batch batch, Pass pass) {
        synchronized (this) {
            long left;
            while (batch.instances < maxSize && worthWaiting(key.jobId(), batch)
                    && (left = batch.deadline - System.nanoTime()) > 0) {
                try {
                    wait(left / 1_000_000, (int) (left % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            open.remove(key, batch);
        }
        float[] all = new float[batch.members.stream().mapToInt(m -> m.inputs().length).sum()];
        int at = 0;
        for (Member m : batch.members) {
            System.arraycopy(m.inputs(), 0, all, at, m.inputs().length);
            at += m.inputs().length;
        }
        float[][] rows;
        try {
            sizes.record(batch.instances);
            rows = timed(pass, all, batch.instances);
        } catch (RuntimeException | Error e) {
            batch.members.forEach(m -> m.rows().completeExceptionally(e));
            return;
        }
        int row = 0;
        for (Member m : batch.members) {
            float[][] mine = new float[m.count()][];
            System.arraycopy(rows, row, mine, 0, m.count());
            row += m.count();
            m.rows().complete(mine);
        }
    }
}
