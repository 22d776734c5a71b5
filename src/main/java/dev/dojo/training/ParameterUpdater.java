package dev.dojo.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * SGD (with momentum) or Adam, at the learning rate a {@link LearningRateSchedule} gives each step, over a fixed list of parameter arrays, using PyTorch's fused update
 * kernels. Unlike DJL's own optimizers it owns its state in the open, so that a checkpoint carries
 * Adam's moments, the momentum buffers and the step count, and a resumed job continues exactly.
 */
final class ParameterUpdater {

    private static final float EPSILON = 1e-8f;

    private final String kind;
    private final LearningRateSchedule schedule;
    private final float momentum;
    private final float beta1;
    private final float beta2;
    private List<NDArray> weights;
    private final List<NDArray> state = new ArrayList<>();
    private long steps;

    /**
     * @param schedule the learning rate of each step, by the global step index
     * @param beta1 Adam's decay of the gradient's mean (ignored by sgd)
     * @param beta2 Adam's decay of the squared gradient's mean (ignored by sgd)
     */
    ParameterUpdater(String kind, LearningRateSchedule schedule, double momentum, double beta1, double beta2,
                     List<NDArray> weights, NDManager manager) {
        this.kind = kind;
        this.schedule = schedule;
        this.momentum = (float) momentum;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.weights = List.copyOf(weights);
        int buffers = switch (kind) {
            case "adam" -> 2;
            case "sgd" -> momentum > 0 ? 1 : 0;
            default -> throw new IllegalArgumentException("unknown optimizer " + kind);
        };
        for (NDArray w : weights) {
            for (int b = 0; b < buffers; b++) {
                NDArray buffer = manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
                state.add(buffer);
            }
        }
    }

    /** Applies one update from the gradients the last backward pass left, then zeroes them. */
    void step(NDManager scratch) {
        // The schedule's position is the step count, which a checkpoint carries: a resumed run goes on exactly.
        float learningRate = (float) schedule.at(steps);
        steps++;
        int buffers = weights.isEmpty() ? 0 : state.size() / weights.size();
        float biasCorrected = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, steps)) / (1 - Math.pow(beta1, steps)));
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i);
            NDArray grad = w.getGradient();
            grad.attach(scratch);
            NDList target = new NDList(w);
            if ("adam".equals(kind)) {
                NDList inputs = new NDList(w, grad, state.get(i * 2), state.get(i * 2 + 1));
                w.getNDArrayInternal().adamUpdate(inputs, target, learningRate, biasCorrected,
                        0f, 1f, -1f, beta1, beta2, EPSILON, true, false);
            } else {
                NDList inputs = buffers == 1 ? new NDList(w, grad, state.get(i)) : new NDList(w, grad);
                w.getNDArrayInternal().sgdUpdate(inputs, target, learningRate, 0f, 1f, -1f, momentum, true);
            }
        }
    }

    /** Points the updater at new parameter arrays of the same shapes, after a checkpoint load. */
    void rebind(List<NDArray> replacement) {
        if (replacement.size() != weights.size()) {
            throw new IllegalArgumentException("expected " + weights.size() + " parameters, got " + replacement.size());
        }
        this.weights = List.copyOf(replacement);
    }

    long steps() {
        return steps;
    }

    /** The optimizer state, in parameter order: Adam's (mean, variance) pairs or SGD's momentum buffers. */
    NDList state() {
        return new NDList(state);
    }

    void restore(NDList saved, long savedSteps) {
        if (saved.size() != state.size()) {
            throw new IllegalArgumentException("checkpoint holds " + saved.size() + " optimizer buffers, expected " + state.size());
        }
        for (int i = 0; i < state.size(); i++) {
            state.get(i).set(saved.get(i).toByteBuffer());
        }
        this.steps = savedSteps;
    }
}
