package dev.dojo.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
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
import java.util.function.Supplier;

/**
 * One network being trained: its native memory, parameters and optimizer. Every array of a step
 * lives in a sub-manager closed at the end of that step, so memory stays flat over any number of
 * steps; closing the session frees everything else.
 * <p>
 * Given several devices, it trains data-parallel: the network on the first device holds the
 * weights and the optimizer, and each further device holds a replica. Each batch is split into one
 * shard per device; every replica runs forward and backward on its shard, with its loss weighted by
 * its share of the batch, so that the gradients summed onto the first device are the whole batch's
 * gradient. One update follows there, and the new weights are copied back to every replica.
 */
final class TrainingSession implements AutoCloseable {

    private final NDManager manager;
    private final Network network;
    private final ParameterStore parameterStore;
    private final ParameterUpdater updater;
    private final String task;
    private final List<Replica> replicas = new ArrayList<>();
    /** Positions, in the block's parameter order, of the parameters of frozen layers. */
    private final List<Integer> frozen;

    /** A copy of the network on a further device, for data-parallel training. */
    private record Replica(NDManager manager, Network network, ParameterStore parameterStore, List<NDArray> weights) {}

    /**
     * Trains on {@code devices}: data-parallel when there is more than one (see the class comment).
     *
     * @param totalSteps the optimizer steps the whole run plans, over which the learning-rate schedule runs
     */
    TrainingSession(String task, Supplier<Network> networks, Hyperparameters hp, List<Device> devices, long totalSteps) {
        this(task, networks, hp, devices, totalSteps, null);
    }

    /**
     * {@link #TrainingSession(String, Supplier, Hyperparameters, List, long)} starting from {@code warm}'s
     * weights (a fresh optimizer), except for its reset layers, which keep the random weights drawn
     * from the seed; its frozen layers' gradients are zeroed before every update, so that neither SGD
     * nor Adam moves them (a zero gradient gives a zero step, bit for bit).
     */
    TrainingSession(String task, Supplier<Network> networks, Hyperparameters hp, List<Device> devices, long totalSteps, WarmStart warm) {
        this.task = task;
        this.network = networks.get();
        this.manager = NDManager.newBaseManager(devices.get(0));
        network.block().initialize(manager, DataType.FLOAT32, network.inputShape());
        initialiseLikePyTorch(network, hp.seed());
        if (warm != null && warm.weightsFrom() != null) {
            try {
                CheckpointCodec.Contents from = CheckpointCodec.decode(warm.weightsFrom());
                // The same Parameter objects before and after the load, which replaces only their arrays.
                ParameterList parameters = network.block().getParameters();
                List<Integer> fresh = warm.resetPositions(network);
                List<float[]> freshWeights = new ArrayList<>();
                for (int i : fresh) {
                    freshWeights.add(parameters.valueAt(i).getArray().toFloatArray());
                }
                network.block().loadParameters(manager, new DataInputStream(new ByteArrayInputStream(from.parameters())));
                for (int k = 0; k < fresh.size(); k++) {
                    parameters.valueAt(fresh.get(k)).getArray().set(freshWeights.get(k));
                }
            } catch (IOException | MalformedModelException | RuntimeException e) {
                manager.close();
                throw new JobCannotRunException("the initFrom weights do not fit this network: " + e.getMessage(), e);
            }
        }
        this.frozen = warm == null ? List.of() : warm.frozenPositions(network);
        this.parameterStore = new ParameterStore(manager, false);
        List<NDArray> weights = trainableArrays();
        double momentum = hp.momentum() == null ? 0 : hp.momentum();
        this.updater = new ParameterUpdater(hp.optimizer(), LearningRateSchedule.of(hp, totalSteps), momentum,
                // Specs stored before Adam's betas were settable used PyTorch's defaults.
                hp.beta1() == null ? 0.9 : hp.beta1(), hp.beta2() == null ? 0.999 : hp.beta2(), weights, manager);
        for (Device device : devices.subList(1, devices.size())) {
            Network copy = networks.get();
            NDManager replicaManager = NDManager.newBaseManager(device);
            copy.block().initialize(replicaManager, DataType.FLOAT32, copy.inputShape());
            List<NDArray> replicaWeights = new ArrayList<>();
            for (Pair<String, Parameter> p : copy.block().getParameters()) {
                NDArray array = p.getValue().getArray();
                array.setRequiresGradient(true);
                replicaWeights.add(array);
            }
            replicas.add(new Replica(replicaManager, copy, new ParameterStore(replicaManager, false), replicaWeights));
        }
        broadcast();
    }

    /** How many devices the session trains on. */
    int devices() {
        return 1 + replicas.size();
    }

    NDManager manager() {
        return manager;
    }

    /**
     * One optimizer step on a batch: forward, loss, backward, update. Returns the batch loss.
     * The batch arrays are borrowed into the step's scope and handed back afterwards.
     */
    float step(NDArray x, NDArray y, BinaryOperator<NDArray> loss) {
        if (!replicas.isEmpty()) {
            return dataParallelStep(x, y, loss);
        }
        try (NDManager scope = manager.newSubManager()) {
            scope.tempAttachAll(x, y);
            Autograd.enable(true);
            NDArray prediction = network.block().forward(parameterStore, new NDList(x), true).singletonOrThrow();
            NDArray value = loss.apply(prediction, y);
            Autograd.backward(value);
            float result = value.getFloat();
            Autograd.enable(false);
            zeroFrozenGradients();
            updater.step(scope);
            return result;
        }
    }

    /** {@link #step} over one shard of the batch per device; see the class comment. */
    private float dataParallelStep(NDArray x, NDArray y, BinaryOperator<NDArray> loss) {
        long n = x.getShape().get(0);
        int k = devices();
        if (n < k) {
            throw new IllegalArgumentException("a batch of " + n + " cannot be split over " + k + " devices");
        }
        long[] cuts = new long[k - 1];
        for (int j = 1; j < k; j++) {
            cuts[j - 1] = j * n / k;
        }
        List<NDManager> scopes = new ArrayList<>();
        try {
            NDManager scope = manager.newSubManager();
            scopes.add(scope);
            scope.tempAttachAll(x, y);
            NDList xs = x.split(cuts);
            NDList ys = y.split(cuts);
            double total = 0;
            Autograd.enable(true);
            for (int j = 0; j < k; j++) {
                // Shard 0 trains on the first device's own network; shard j on replica j - 1.
                Replica replica = j == 0 ? null : replicas.get(j - 1);
                NDManager shardScope = scope;
                Network on = network;
                ParameterStore store = parameterStore;
                if (replica != null) {
                    shardScope = replica.manager().newSubManager();
                    scopes.add(shardScope);
                    on = replica.network();
                    store = replica.parameterStore();
                }
                Device device = shardScope.getDevice();
                NDArray xj = xs.get(j).toDevice(device, true);
                NDArray yj = ys.get(j).toDevice(device, true);
                xj.attach(shardScope);
                yj.attach(shardScope);
                double share = (double) xj.getShape().get(0) / n;
                NDArray prediction = on.block().forward(store, new NDList(xj), true).singletonOrThrow();
                NDArray value = loss.apply(prediction, yj);
                Autograd.backward(value.mul((float) share));
                total += value.getFloat() * share;
            }
            Autograd.enable(false);
            List<NDArray> master = trainableArrays(false);
            for (int i = 0; i < master.size(); i++) {
                NDArray sum = master.get(i).getGradient();
                sum.attach(scope);
                for (Replica r : replicas) {
                    NDArray w = r.weights().get(i);
                    NDArray grad = w.getGradient();
                    grad.attach(scope);
                    sum.addi(grad.toDevice(sum.getDevice(), false));
                    JniUtils.zeroGrad((PtNDArray) w);
                }
            }
            zeroFrozenGradients();
            updater.step(scope);
            broadcast();
            return (float) total;
        } finally {
            Autograd.enable(false);
            for (int j = scopes.size() - 1; j >= 0; j--) {
                scopes.get(j).close();
            }
        }
    }

    /** Copies the first device's weights to every replica. */
    private void broadcast() {
        if (replicas.isEmpty()) {
            return;
        }
        Autograd.enable(false);
        List<NDArray> master = trainableArrays(false);
        for (Replica r : replicas) {
            for (int i = 0; i < master.size(); i++) {
                r.weights().get(i).set(new NDIndex("..."), master.get(i));
            }
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
            broadcast();
        } catch (IOException | MalformedModelException e) {
            throw new IllegalArgumentException("checkpoint does not fit this network: " + e.getMessage(), e);
        }
        return contents;
    }

    private void zeroFrozenGradients() {
        if (frozen.isEmpty()) {
            return;
        }
        List<NDArray> arrays = trainableArrays(false);
        for (int i : frozen) {
            JniUtils.zeroGrad((PtNDArray) arrays.get(i));
        }
    }

    private List<NDArray> trainableArrays() {
        return trainableArrays(true);
    }

    private List<NDArray> trainableArrays(boolean markForGradients) {
        List<NDArray> weights = new ArrayList<>();
        for (Pair<String, Parameter> p : network.block().getParameters()) {
            NDArray array = p.getValue().getArray();
            if (markForGradients) {
                array.setRequiresGradient(true);
            }
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
        replicas.forEach(r -> r.manager().close());
        manager.close();
    }
}
