package dev.dojo.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/** A network loaded from a checkpoint for inference. Thread-safe; close it to free its memory. */
public final class TrainedModel implements AutoCloseable {

    private final NDManager manager;
    private final Network network;
    private final ParameterStore parameterStore;

    private TrainedModel(NDManager manager, Network network) {
        this.manager = manager;
        this.network = network;
        this.parameterStore = new ParameterStore(manager, false);
    }

    /** Rebuilds the spec's network and loads the checkpoint's parameters into it. */
    public static TrainedModel load(TrainingTask task, TrainingSpec spec, byte[] checkpoint, Device device) {
        CheckpointCodec.Contents contents = CheckpointCodec.decode(checkpoint);
        Network network = task.network(spec);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            network.block().initialize(manager, DataType.FLOAT32, network.inputShape());
            network.block().loadParameters(manager, new DataInputStream(new ByteArrayInputStream(contents.parameters())));
            return new TrainedModel(manager, network);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new IllegalStateException("checkpoint does not load into the job's network: " + e.getMessage(), e);
        }
    }

    /**
     * The spec's network as training starts it, before any step: initialised from the spec's seed
     * exactly as a training run does. For showing what training changed.
     */
    public static TrainedModel untrained(TrainingTask task, TrainingSpec spec, Device device) {
        Network network = task.network(spec);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            network.block().initialize(manager, DataType.FLOAT32, network.inputShape());
            TrainingSession.initialiseLikePyTorch(network, spec.hyperparameters().seed());
            return new TrainedModel(manager, network);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Shape of one instance, without the batch dimension. */
    public Shape instanceShape() {
        Shape s = network.inputShape();
        return s.slice(1);
    }

    /**
     * Runs one forward pass over a batch. {@code inputs} holds the instances back to back. A single
     * instance runs on one libtorch thread: splitting so small a pass over several cores costs more in
     * synchronisation than it saves, and it leaves the other cores to a job that may be training.
     *
     * @return the outputs, one row per instance
     */
    public float[][] forward(float[] inputs, int instances) {
        IntraOpThreads.useDefault();
        Shape shape = new Shape(instances).addAll(instanceShape());
        boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
        Autograd.enable(false);
        try (IntraOpThreads threads = IntraOpThreads.limit(instances == 1 ? 1 : 0, manager.getDevice());
             NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(inputs, shape);
            NDArray out = network.block().forward(parameterStore, new NDList(x), false).singletonOrThrow();
            float[] flat = out.toType(DataType.FLOAT32, false).toFloatArray();
            int width = flat.length / instances;
            float[][] rows = new float[instances][width];
            for (int i = 0; i < instances; i++) {
                System.arraycopy(flat, i * width, rows[i], 0, width);
            }
            return rows;
        } finally {
            Autograd.enable(grad);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
