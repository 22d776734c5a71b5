package dev.dojo.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's intra-op thread count for the calling thread. OpenMP keeps that count per thread, so a
 * job can train a small network on one thread while another job, or a prediction, uses them all.
 * <p>
 * Why: a tiny full-batch step (the seed's 64 × 512 MLP) gains nothing from a second thread when
 * the machine is quiet, and loses much of its speed when the service's own threads (the metric
 * writer, HTTP, the garbage collector) want a core at the same moment, because the OpenMP team then
 * waits for a descheduled member at every operation. docs/performance.md has the measurements.
 */
final class IntraOpThreads implements AutoCloseable {

    /** The count libtorch started with (all cores, or {@code ai.djl.pytorch.num_threads}). */
    private static final int DEFAULT;

    static {
        Engine.getEngine("PyTorch");
        DEFAULT = JniUtils.getNumThreads();
    }

    private final boolean changed;

    private IntraOpThreads(boolean changed) {
        this.changed = changed;
    }

    /** Limits the calling thread to {@code threads} on a CPU until closed; a GPU, or 0, leaves it alone. */
    static IntraOpThreads limit(int threads, Device device) {
        if (threads <= 0 || threads >= DEFAULT || device.isGpu()) {
            return new IntraOpThreads(false);
        }
        JniUtils.setNumThreads(threads);
        return new IntraOpThreads(true);
    }

    /**
     * Gives the calling thread the default count. libtorch also remembers the last count set as the
     * one a thread gets at its first operation, so a thread that may have started while a small
     * job held that at 1 (a web request) calls this before it runs a model.
     */
    static void useDefault() {
        if (JniUtils.getNumThreads() != DEFAULT) {
            JniUtils.setNumThreads(DEFAULT);
        }
    }

    static int defaultCount() {
        return DEFAULT;
    }

    @Override
    public void close() {
        if (changed) {
            JniUtils.setNumThreads(DEFAULT);
        }
    }
}
