package dev.dojo.prediction;

import ai.djl.Device;
import dev.dojo.training.TrainedModel;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Loaded models by (job, checkpoint), least recently used first out. A model loads outside the
 * cache's lock, so requests for other models never wait behind a load; requests for the model being
 * loaded wait for that one load. A model is closed only once it is both evicted and no request is
 * still using it.
 */
@Component
class ModelCache implements DisposableBean {

    record Key(String jobId, int checkpoint) {}

    /** A model held by a request; closing the handle releases it. */
    static final class Handle implements AutoCloseable {
        private final TrainedModel model;
        private int users;
        private boolean evicted;
        private boolean closed;

        private Handle(TrainedModel model) {
            this.model = model;
        }

        TrainedModel model() {
            return model;
        }

        @Override
        public void close() {
            boolean last;
            synchronized (this) {
                users--;
                last = users == 0 && evicted && !closed;
                closed |= last;
            }
            if (last) {
                model.close();
            }
        }

        /** Takes the model for a request; false when it was evicted and closed meanwhile. */
        private synchronized boolean tryAcquire() {
            if (closed) {
                return false;
            }
            users++;
            return true;
        }

        private void evict() {
            boolean unused;
            synchronized (this) {
                evicted = true;
                unused = users == 0 && !closed;
                closed |= unused;
            }
            if (unused) {
                model.close();
            }
        }
    }

    private final int capacity;
    /** Each key's model, or its load still in progress; in access order. */
    private final Map<Key, CompletableFuture<Handle>> models = new LinkedHashMap<>(16, 0.75f, true);

    ModelCache(PredictionSettings settings) {
        this.capacity = settings.cacheSize();
    }

    /** The cached model for the key, loading it on a miss; close the handle when done. */
    Handle acquire(Key key, Supplier<TrainedModel> loader) {
        while (true) {
            CompletableFuture<Handle> entry;
            CompletableFuture<Handle> mine = null;
            synchronized (this) {
                entry = models.get(key);
                if (entry == null) {
                    mine = new CompletableFuture<>();
                    models.put(key, mine);
                    entry = mine;
                }
            }
            if (mine != null) {
                load(key, mine, loader);
            }
            Handle handle;
            try {
                handle = entry.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            if (handle.tryAcquire()) {
                return handle;
            }
            // Evicted and closed between its load and this request: load it again.
        }
    }

    private void load(Key key, CompletableFuture<Handle> slot, Supplier<TrainedModel> loader) {
        try {
            slot.complete(new Handle(loader.get()));
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                models.remove(key, slot);
            }
            slot.completeExceptionally(e);
            throw e;
        }
        synchronized (this) {
            evictBeyondCapacity();
        }
    }

    /** Closes every loaded model of the job (once no request uses it); loads in progress are left to finish. */
    synchronized void evictJob(String jobId) {
        Iterator<Map.Entry<Key, CompletableFuture<Handle>>> it = models.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, CompletableFuture<Handle>> entry = it.next();
            if (entry.getKey().jobId().equals(jobId) && entry.getValue().isDone() && !entry.getValue().isCompletedExceptionally()) {
                it.remove();
                entry.getValue().join().evict();
            }
        }
    }

    synchronized int size() {
        return models.size();
    }

    /** Closes the least recently used loaded models beyond the capacity; loads in progress stay. */
    private void evictBeyondCapacity() {
        Iterator<Map.Entry<Key, CompletableFuture<Handle>>> it = models.entrySet().iterator();
        while (models.size() > capacity && it.hasNext()) {
            CompletableFuture<Handle> oldest = it.next().getValue();
            if (oldest.isDone() && !oldest.isCompletedExceptionally()) {
                it.remove();
                oldest.join().evict();
            }
        }
    }

    static Device device() {
        return Device.cpu();
    }

    @Override
    public synchronized void destroy() {
        models.values().stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).forEach(f -> f.join().evict());
        models.clear();
    }
}
