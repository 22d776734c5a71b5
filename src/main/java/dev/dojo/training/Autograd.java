package dev.dojo.training;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Gradient recording for the calling thread only. DJL's {@code GradientCollector} for PyTorch is
 * process-wide and refuses a second collector, which would serialise concurrent jobs; libtorch's
 * grad mode itself is thread-local, so each worker thread switches its own.
 */
final class Autograd {

    private Autograd() {}

    static void enable(boolean on) {
        JniUtils.setGradMode(on);
    }

    static void backward(NDArray loss) {
        try (NDArray seed = loss.onesLike()) {
            JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
        }
    }
}
