package dev.dojo.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.dojo.training.Hyperparameters;
import dev.dojo.training.SineRegressionTask;
import dev.dojo.training.TrainedModel;
import dev.dojo.training.TrainingListener;
import dev.dojo.training.TrainingSpec;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelCacheTest {

    static final SineRegressionTask TASK = new SineRegressionTask();
    static TrainingSpec spec;
    static byte[] checkpoint;

    @BeforeAll
    static void train() {
        spec = TASK.resolve(new Hyperparameters(5, null, null, null, null, null, null, null, null, null, null, null, null), null);
        AtomicReference<byte[]> last = new AtomicReference<>();
        TASK.train(spec, null, new TrainingListener() {
            public void onMetric(int epoch, long step, String name, double value) { }
            public void onCheckpoint(int epoch, long step, byte[] bytes) { last.set(bytes); }
            public boolean shouldStop() { return false; }
        }, Device.cpu());
        checkpoint = last.get();
    }

    private TrainedModel load() {
        return TrainedModel.load(TASK, spec, checkpoint, Device.cpu());
    }

    @Test
    void loadsOnceAndClosesTheLeastRecentlyUsedWhenFull() {
        ModelCache cache = new ModelCache(new PredictionSettings(1, 10));
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
        ModelCache cache = new ModelCache(new PredictionSettings(1, 10));
        ModelCache.Handle inUse = cache.acquire(new ModelCache.Key("a", 1), this::load);
        cache.acquire(new ModelCache.Key("b", 1), this::load).close();

        assertThat(inUse.model().forward(new float[] {0.5f}, 1)[0]).hasSize(1);
        inUse.close();
        assertThatThrownBy(() -> inUse.model().forward(new float[] {0.5f}, 1)).isInstanceOf(IllegalStateException.class);
    }
}
