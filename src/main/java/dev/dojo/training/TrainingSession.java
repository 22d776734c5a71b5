package dev.dojo.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.function.BinaryOperator;

/**
 * One network being trained: its native memory, parameters and optimizer. Every array of a step
 * lives in a sub-manager closed at the end of that step, so memory stays flat over any number of
 * steps; closing the session frees everything else.
 */
final class TrainingSession implements AutoCloseable {

    private final NDManager manager;
    private final Network network;
    private final ParameterStore parameterStore;
    private final ParameterUpdater updater;
    private final String task;

    TrainingSession(String task, Network network, Hyperparameters hp, Device device) {
        this.task = task;
        this.network = network;
        this.manager = NDManager.newBaseManager(device);
        network.block().initialize(manager, DataType.FLOAT32, network.inputShape());
        initialiseLikePyTorch(network, hp.seed());
        this.parameterStore = new ParameterStore(manager, false);
        List<NDArray> weights = trainableArrays();
        double momentum = hp.momentum() == null ? 0 : hp.momentum();
        this.updater = new ParameterUpdater(hp.optimizer(), hp.learningRate(), momentum, weights, manager);
    }

    NDManager manager() {
        return manager;
    }

    /**
     * One optimizer step on a batch: forward, loss, backward, update. Returns the batch loss.
     * The batch arrays are borrowed into the step's scope and handed back afterwards.
     */
    float step(NDArray x, NDArray y, BinaryOperator<NDArray> loss) {
        try (NDManager scope = manager.newSubManager()) {
            scope.tempAttachAll(x, y);
            Autograd.enable(true);
            NDArray prediction = network.block().forward(parameterStore, new NDList(x), true).singletonOrThrow();
            NDArray value = loss.apply(prediction, y);
            Autograd.backward(value);
            float result = value.getFloat();
            Autograd.enable(false);
            updater.step(scope);
            return result;
        }
    }

    /** Forward pass without gradients, for evaluation; the result is attached to {@code scope}. */
    NDArray predict(NDArray x, NDManager scope) {
        Autograd.enable(false);
        scope.tempAttachAll(x);
        return network.block().forward(parameterStore, new NDList(x), false).singletonOrThrow();
    }

    long steps() {
        return updater.steps();
    }

    byte[] checkpoint(int epoch, Properties extra) {
        Properties meta = new Properties();
        meta.putAll(extra);
        meta.setProperty("task", task);
        meta.setProperty("epoch", Integer.toString(epoch));
        meta.setProperty("step", Long.toString(updater.steps()));
        meta.setProperty("optimizer.steps", Long.toString(updater.steps()));
        meta.setProperty("inputShape", network.inputShape().toString());
        meta.setProperty("layers", String.join(" | ", network.layers()));
        try {
            ByteArrayOutputStream params = new ByteArrayOutputStream();
            network.block().saveParameters(new DataOutputStream(params));
            return CheckpointCodec.encode(meta, params.toByteArray(), updater.state().encode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Restores weights and optimizer state; returns the checkpoint's contents (its epoch, its metadata). */
    CheckpointCodec.Contents restore(byte[] checkpoint) {
        CheckpointCodec.Contents contents = CheckpointCodec.decode(checkpoint);
        try (NDManager scope = manager.newSubManager()) {
            network.block().loadParameters(manager, new DataInputStream(new ByteArrayInputStream(contents.parameters())));
            // loadParameters swaps in new arrays, which neither record gradients nor are the ones the
            // optimizer holds: rebind them.
            updater.rebind(trainableArrays());
            updater.restore(NDList.decode(scope, contents.optimizer()), Long.parseLong(contents.meta().getProperty("optimizer.steps")));
        } catch (IOException | MalformedModelException e) {
            throw new IllegalArgumentException("checkpoint does not fit this network: " + e.getMessage(), e);
        }
        return contents;
    }

    private List<NDArray> trainableArrays() {
        List<NDArray> weights = new ArrayList<>();
        for (Pair<String, Parameter> p : network.block().getParameters()) {
            NDArray array = p.getValue().getArray();
            array.setRequiresGradient(true);
            weights.add(array);
        }
        return weights;
    }

    /**
     * PyTorch's default for Linear and Conv2d: weights and biases uniform in ±1/sqrt(fan_in), drawn
     * from the job's seed. Doing it here rather than through DJL's engine-wide random seed keeps
     * concurrent jobs independent and each job reproducible. Static so {@link TrainedModel#untrained}
     * can build the very network a job starts from.
     */
    static void initialiseLikePyTorch(Network network, long seed) {
        Random random = new Random(seed);
        double bound = 1;
        for (Pair<String, Parameter> p : network.block().getParameters()) {
            NDArray array = p.getValue().getArray();
            Shape shape = array.getShape();
            if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                long fanIn = shape.size() / shape.get(0);
                bound = 1 / Math.sqrt(fanIn);
            }
            float[] values = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            array.set(values);
        }
    }

    @Override
    public void close() {
        Autograd.enable(false);
        manager.close();
    }
}
