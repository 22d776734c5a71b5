package dev.dojo.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The batcher's {@code auto} wait, step by step with latches instead of timing: a request that
 * leads a batch while another request of the job is in a forward pass waits for company (with a
 * delay far longer than the test), and goes as soon as nobody else is in flight.
 */
class PredictionBatchesTest {

    private static final ModelCache.Key KEY = new ModelCache.Key("job-1", 1);

    private final List<Integer> passes = new CopyOnWriteArrayList<>();

    private PredictionBatches batches(PredictionSettings.Wait wait) {
        return new PredictionBatches(new PredictionSettings(8, 10, 4_000_000, 8_000_000,
                new PredictionSettings.Batch(64, Duration.ofSeconds(1), wait)), new SimpleMeterRegistry());
    }

    /** Sends one single-instance request on its own thread; the pass waits for {@code release} first, if given. */
    private CompletableFuture<float[][]> send(PredictionBatches b, float value, CountDownLatch inPass, CountDownLatch release) {
        PredictionBatches.Arrival arrival = b.arrive(KEY.jobId());
        return CompletableFuture.supplyAsync(() -> {
            try (arrival) {
                return b.forward(KEY, arrival, new float[] {value}, 1, (inputs, n) -> {
                    passes.add(n);
                    if (inPass != null) {
                        inPass.countDown();
                        await(release);
                    }
                    float[][] rows = new float[n][];
                    for (int i = 0; i < n; i++) {
                        rows[i] = new float[] {inputs[i] * 2};
                    }
                    return rows;
                });
            }
        });
    }

    @Test
    void autoGathersRequestsThatCameWhileAnotherWasInAPassAndAnswersEachItsOwn() throws Exception {
        PredictionBatches b = batches(PredictionSettings.Wait.AUTO);
        CountDownLatch aInPass = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        CompletableFuture<float[][]> a = send(b, 1, aInPass, releaseA);
        assertThat(aInPass.await(30, TimeUnit.SECONDS)).as("a lone request goes into its pass without waiting").isTrue();

        CompletableFuture<float[][]> first = send(b, 2, null, null);
        CompletableFuture<float[][]> second = send(b, 3, null, null);
        // Both wait: one leads a batch, the other joins it, while request a is still in flight.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> b.waitingInstances(KEY) == 2);
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();

        releaseA.countDown();
        assertThat(a.get(30, TimeUnit.SECONDS)[0][0]).isEqualTo(2f);
        assertThat(first.get(30, TimeUnit.SECONDS)[0][0]).isEqualTo(4f);
        assertThat(second.get(30, TimeUnit.SECONDS)[0][0]).isEqualTo(6f);
        assertThat(passes).containsExactly(1, 2);
    }

    @Test
    void arrivalsLetsARequestGoAloneWhileAnotherIsInAPass() throws Exception {
        PredictionBatches b = batches(PredictionSettings.Wait.ARRIVALS);
        CountDownLatch aInPass = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        CompletableFuture<float[][]> a = send(b, 1, aInPass, releaseA);
        assertThat(aInPass.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(send(b, 2, null, null).get(30, TimeUnit.SECONDS)[0][0]).as("answered while a is still in its pass").isEqualTo(4f);
        releaseA.countDown();
        assertThat(a.get(30, TimeUnit.SECONDS)[0][0]).isEqualTo(2f);
        assertThat(passes).containsExactly(1, 1);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
