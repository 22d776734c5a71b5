package dev.dojo.prediction;

import ai.djl.Device;
import dev.dojo.training.TrainedModel;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Loaded models by (job, checkpoint), least recently used first out. A model is closed only once
 * it is both evicted and no request is still using it.
 */
@Component
class ModelCache implements DisposableBean {

    record Key(String jobId, int checkpoint) {}

    /** A model held by a request; closing the handle releases it. */
    static final class Handle implements AutoCloseable {
        private final TrainedModel model;
        private int users;
        private boolean evicted;

        private Handle(TrainedModel model) {
            this.model = model;
        }

        TrainedModel model() {
            return model;
        }

        @Override
        public void close() {
            synchronized (this) {
                users--;
                if (users > 0 || !evicted) {
                    return;
                }
            }
            model.close();
        }

        private synchronized void acquire() {
            users++;
        }

        private void evict() {
            synchronized (this) {
                evicted = true;
                if (users > 0) {
                    return;
                }
            }
            model.close();
        }
    }

    private final int capacity;
    private final Map<Key, Handle> models = new LinkedHashMap<>(16, 0.75f, true);

    ModelCache(PredictionSettings settings) {
        this.capacity = settings.cacheSize();
    }

    /** The cached model for the key, loading it on a miss; close the handle when done. */
    synchronized Handle acquire(Key key, Supplier<TrainedModel> loader) {
        Handle handle = models.get(key);
        if (handle == null) {
            handle = new Handle(loader.get());
            models.put(key, handle);
            evictBeyondCapacity();
        }
        handle.acquire();
        return handle;
    }

    synchronized int size() {
        return models.size();
    }

    private void evictBeyondCapacity() {
        Iterator<Map.Entry<Key, Handle>> it = models.entrySet().iterator();
        while (models.size() > capacity && it.hasNext()) {
            Handle oldest = it.next().getValue();
            it.remove();
            oldest.evict();
        }
    }

    static Device device() {
        return Device.cpu();
    }

    @Override
    public synchronized void destroy() {
        models.values().forEach(Handle::evict);
        models.clear();
    }
}
