package dev.dojo.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.List;
import dev.dojo.training.Hyperparameters;
import dev.dojo.training.SineRegressionTask;
import dev.dojo.training.TrainedModel;
import dev.dojo.training.TrainingListener;
import dev.dojo.training.TrainingSpec;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelCacheTest {

    static final SineRegressionTask TASK = new SineRegressionTask();
    static TrainingSpec spec;
    static byte[] checkpoint;

    @BeforeAll
    static void train() {
        spec = TASK.resolve(new Hyperparameters(5, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null), null);
        AtomicReference<byte[]> last = new AtomicReference<>();
        TASK.train(spec, null, new TrainingListener() {
            public void onMetric(int epoch, long step, String name, double value) { }
            public void onCheckpoint(int epoch, long step, byte[] bytes) { last.set(bytes); }
            public boolean shouldStop() { return false; }
        }, List.of(Device.cpu()));
        checkpoint = last.get();
    }

    private TrainedModel load() {
        return TrainedModel.load(TASK, spec, checkpoint, Device.cpu());
    }

    @Test
    void loadsOnceAndClosesTheLeastRecentlyUsedWhenFull() {
        ModelCache cache = new ModelCache(new PredictionSettings(1, 10, 4_000_000, 8_000_000, new PredictionSettings.Batch(64, java.time.Duration.ofMillis(2), PredictionSettings.Wait.ARRIVALS)));
        AtomicInteger loads = new AtomicInteger();
        ModelCache.Handle first = cache.acquire(new ModelCache.Key("a", 1), () -> { loads.incrementAndGet(); return load(); });
        first.close();
        cache.acquire(new ModelCache.Key("a", 1), () -> { loads.incrementAndGet(); return load(); }).close();
        assertThat(loads).hasValue(1);

        cache.acquire(new ModelCache.Key("b", 1), this::load).close();

        assertThat(cache.size()).isEqualTo(1);
        assertThatThrownBy(() -> first.model().forward(new float[] {0.5f}, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEvictedModelInUseStaysOpenUntilItsRequestEnds() {
        ModelCache cache = new ModelCache(new PredictionSettings(1, 10, 4_000_000, 8_000_000, new PredictionSettings.Batch(64, java.time.Duration.ofMillis(2), PredictionSettings.Wait.ARRIVALS)));
        ModelCache.Handle inUse = cache.acquire(new ModelCache.Key("a", 1), this::load);
        cache.acquire(new ModelCache.Key("b", 1), this::load).close();

        assertThat(inUse.model().forward(new float[] {0.5f}, 1)[0]).hasSize(1);
        inUse.close();
        assertThatThrownBy(() -> inUse.model().forward(new float[] {0.5f}, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aModelLoadingDoesNotHoldUpRequestsForOtherModels() throws Exception {
        ModelCache cache = new ModelCache(new PredictionSettings(4, 10, 4_000_000, 8_000_000, new PredictionSettings.Batch(64, java.time.Duration.ofMillis(2), PredictionSettings.Wait.ARRIVALS)));
        cache.acquire(new ModelCache.Key("ready", 1), this::load).close();
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger slowLoads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Supplier<TrainedModel> slow = () -> {
                slowLoads.incrementAndGet();
                loading.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return load();
            };
            Future<Float> first = pool.submit(() -> predict(cache.acquire(new ModelCache.Key("slow", 1), slow)));
            assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Float> second = pool.submit(() -> predict(cache.acquire(new ModelCache.Key("slow", 1), slow)));

            // While "slow" loads, a request for another model is answered at once.
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                Float ready = other.submit(() -> predict(cache.acquire(new ModelCache.Key("ready", 1), this::load))).get(10, TimeUnit.SECONDS);
                assertThat(ready).isFinite();
            } finally {
                other.shutdownNow();
            }
            assertThat(first.isDone()).isFalse();
            assertThat(second.isDone()).isFalse();

            release.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(second.get(30, TimeUnit.SECONDS));
            assertThat(slowLoads).as("two requests for the model being loaded share its one load").hasValue(1);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedLoadIsReportedAndTriedAgainByTheNextRequest() {
        ModelCache cache = new ModelCache(new PredictionSettings(2, 10, 4_000_000, 8_000_000, new PredictionSettings.Batch(64, java.time.Duration.ofMillis(2), PredictionSettings.Wait.ARRIVALS)));
        assertThatThrownBy(() -> cache.acquire(new ModelCache.Key("a", 1), () -> {
            throw new IllegalStateException("checkpoint does not load");
        })).hasMessage("checkpoint does not load");
        assertThat(cache.size()).isZero();
        try (ModelCache.Handle h = cache.acquire(new ModelCache.Key("a", 1), this::load)) {
            assertThat(h.model().forward(new float[] {0.5f}, 1)[0]).hasSize(1);
        }
    }

    private static float predict(ModelCache.Handle handle) {
        try (handle) {
            return handle.model().forward(new float[] {0.5f}, 1)[0][0];
        }
    }
}
