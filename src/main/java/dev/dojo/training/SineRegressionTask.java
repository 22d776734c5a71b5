package dev.dojo.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dojo.dataset.SineData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BinaryOperator;

/**
 * The seed's "simple neural network": a wide MLP fitted to a noisy sine curve, full batch, so one
 * epoch is one optimizer step.
 */
public final class SineRegressionTask implements TrainingTask {

    public static final String NAME = "sine-regression";

    static final ParameterInfo EPOCHS = ParameterInfo.integer("epochs", 500, 1, 100_000,
            "Full-batch training steps (the seed runs 500).");
    static final ParameterInfo LEARNING_RATE = ParameterInfo.number("learningRate", 1e-3, 1e-7, 10,
            "Step size of the optimizer.");
    static final ParameterInfo OPTIMIZER = ParameterInfo.choice("optimizer", "adam", List.of("adam", "sgd"),
            "adam (beta1 0.9, beta2 0.999, eps 1e-8) or sgd with optional momentum.");
    static final ParameterInfo LOSS = ParameterInfo.choice("loss", "mse", List.of("mse", "l1"),
            "mse (the seed's nn.MSELoss) or l1 (mean absolute error).");
    static final ParameterInfo HIDDEN_UNITS = ParameterInfo.integerList("hiddenUnits", List.of(512), 1, 4096, SpecResolver.MAX_LAYERS,
            "Units per hidden layer; [512] is the seed's WideNet, [512, 512] its two-layer exercise.");
    static final ParameterInfo ACTIVATION = ParameterInfo.choice("activation", "tanh", List.of("tanh", "relu", "sigmoid"),
            "Non-linearity after each hidden layer.");
    static final ParameterInfo SEED = new ParameterInfo("seed", "integer", 0L, 0L, Long.MAX_VALUE, null,
            "Seeds the data noise and the weight initialisation: one spec, one result.");
    static final ParameterInfo LOG_EVERY = ParameterInfo.integer("logEverySteps", 1, 1, 100_000,
            "Record train_loss every N epochs.");
    static final ParameterInfo CHECKPOINT_EVERY = new ParameterInfo("checkpointEvery", "integer", null, 1, 100_000, null,
            "Write a checkpoint every N epochs, and always at the end. Default: 10% of the epochs.");
    static final ParameterInfo SAMPLES = ParameterInfo.integer("samples", 64, 2, 100_000,
            "Points on linspace(-1, 1).");
    static final ParameterInfo NOISE = ParameterInfo.number("noise", 0.2, 0, 10,
            "Standard deviation of the Gaussian noise on the targets (the seed's randn/5 is 0.2).");

    /** Up to this many activations per layer (samples × units) a step runs on one thread; see {@link IntraOpThreads}. */
    static final long ONE_THREAD_UP_TO = 65_536;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TaskDescription describe() {
        return new TaskDescription(NAME,
                "Fit sin(3.14·x) plus noise with a wide MLP: the seed lesson's first network.",
                List.of(EPOCHS, LEARNING_RATE, OPTIMIZER, SpecResolver.MOMENTUM, SpecResolver.LR_SCHEDULE,
                        SpecResolver.WARMUP_FRACTION, SpecResolver.BETA1, SpecResolver.BETA2, LOSS, HIDDEN_UNITS, ACTIVATION, SEED, LOG_EVERY, CHECKPOINT_EVERY),
                List.of(SAMPLES, NOISE));
    }

    @Override
    public TrainingSpec resolve(Hyperparameters rq, DataSpec data) {
        Hyperparameters in = rq == null ? Hyperparameters.none() : rq;
        DataSpec d = data == null ? DataSpec.none() : data;
        String hp = "hyperparameters.";
        SpecResolver r = new SpecResolver();
        int epochs = r.integer(hp, EPOCHS, in.epochs());
        double lr = r.number(hp, LEARNING_RATE, in.learningRate());
        String optimizer = r.choice(hp, OPTIMIZER, in.optimizer());
        double momentum = r.momentum(hp, in.momentum(), optimizer);
        SpecResolver.Optimization o = r.optimization(hp, in, optimizer);
        String loss = r.choice(hp, LOSS, in.loss());
        List<Integer> hidden = r.hiddenLayers(hp, HIDDEN_UNITS, in.hiddenUnits(), 1, 1);
        String activation = r.choice(hp, ACTIVATION, in.activation());
        long seed = r.longValue(hp, SEED, in.seed());
        int logEvery = r.integer(hp, LOG_EVERY, in.logEverySteps());
        Integer checkpointEvery = in.checkpointEvery() == null ? Math.max(1, epochs / 10) : r.integer(hp, CHECKPOINT_EVERY, in.checkpointEvery());
        r.unused(hp + "model", in.model(), NAME);
        r.unused(hp + "batchSize", in.batchSize(), NAME);
        r.unused(hp + "trainLimit", in.trainLimit(), NAME);
        r.unused(hp + "labelSmoothing", in.labelSmoothing(), NAME);
        int samples = r.integer("data.", SAMPLES, d.samples());
        double noise = r.number("data.", NOISE, d.noise());
        r.throwIfInvalid();
        return new TrainingSpec(NAME,
                new Hyperparameters(epochs, lr, optimizer, momentum, loss, hidden, activation, seed,
                        null, null, null, logEvery, checkpointEvery, o.lrSchedule(), o.warmupFraction(), o.beta1(), o.beta2(), null),
                new DataSpec(samples, noise));
    }

    @Override
    public Network network(TrainingSpec spec) {
        Hyperparameters hp = spec.hyperparameters();
        return Networks.mlp(1, hp.hiddenUnits(), hp.activation(), 1, new Shape(1, 1), false);
    }

    @Override
    public TrainingResult train(TrainingSpec spec, byte[] resumeFrom, TrainingListener listener, List<Device> devices) {
        return train(spec, resumeFrom, null, listener, devices);
    }

    @Override
    public TrainingResult train(TrainingSpec spec, byte[] resumeFrom, WarmStart warm, TrainingListener listener, List<Device> devices) {
        Hyperparameters hp = spec.hyperparameters();
        SineData data = SineData.generate(spec.data().samples(), spec.data().noise(), hp.seed());
        int n = data.inputs().length;
        long widest = (long) n * hp.hiddenUnits().stream().mapToInt(Integer::intValue).max().orElse(1);
        try (IntraOpThreads threads = IntraOpThreads.limit(widest <= ONE_THREAD_UP_TO ? 1 : 0, devices.get(0));
             TrainingSession session = new TrainingSession(NAME, () -> network(spec), hp, devices, hp.epochs(), warm)) {
            int done = resumeFrom == null ? 0 : session.restore(resumeFrom).epoch();
            EpochLoop loop = new EpochLoop(listener, session, hp.epochs(), hp.checkpointEvery());
            NDArray x = session.manager().create(data.inputs(), new Shape(n, 1));
            NDArray y = session.manager().create(data.targets(), new Shape(n, 1));
            NDArray curve = session.manager().create(cleanCurve(data.inputs()), new Shape(n, 1));
            BinaryOperator<NDArray> loss = loss(hp.loss());
            for (int epoch = done + 1; epoch <= hp.epochs(); epoch++) {
                if (loop.shouldStop()) {
                    return loop.stopped(epoch - 1, new Properties());
                }
                float value = session.step(x, y, loss);
                if (epoch % hp.logEverySteps() == 0 || epoch == hp.epochs()) {
                    listener.onMetric(epoch, session.steps(), "train_loss", value);
                }
                if (loop.checkpointsAt(epoch)) {
                    listener.onMetric(epoch, session.steps(), "fit_mse", fitError(session, x, curve));
                }
                loop.epochDone(epoch, new Properties());
            }
            return loop.completed(hp.epochs());
        }
    }

    /** sin(3.14·x) without noise, at the training inputs: what the fit is judged against. */
    static float[] cleanCurve(float[] inputs) {
        float[] y = new float[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            y[i] = (float) Math.sin(SineData.FREQUENCY * inputs[i]);
        }
        return y;
    }

    /**
     * The mean squared error of the network against the noise-free curve: one measure of the fit
     * whatever the training loss, so that runs with {@code mse} and {@code l1} compare.
     */
    private static float fitError(TrainingSession session, NDArray x, NDArray curve) {
        try (NDManager scope = session.manager().newSubManager()) {
            NDArray prediction = session.predict(x, scope);
            return prediction.sub(curve).square().mean().getFloat();
        }
    }

    @Override
    public long samplesPerEpoch(TrainingSpec spec) {
        return spec.data().samples();
    }

    @Override
    public List<String> metrics() {
        return List.of("train_loss", "fit_mse");
    }

    @Override
    public InputKind input() {
        return new InputKind.Number();
    }

    @Override
    public List<Object> predictions(float[][] outputs) {
        List<Object> values = new ArrayList<>(outputs.length);
        for (float[] row : outputs) {
            values.add((double) row[0]);
        }
        return values;
    }

    /** The seed's picture: the noisy points the network was fitted to, over linspace(-1, 1). */
    @Override
    public Optional<FitData> fit(TrainingSpec spec) {
        SineData data = SineData.generate(spec.data().samples(), spec.data().noise(), spec.hyperparameters().seed());
        double[] x = new double[data.inputs().length];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = data.inputs()[i];
            y[i] = data.targets()[i];
        }
        return Optional.of(new FitData(x, y, "targets: sin(3.14x) + noise", -1, 1));
    }

    static BinaryOperator<NDArray> loss(String name) {
        return switch (name) {
            case "mse" -> (p, y) -> p.sub(y).square().mean();
            case "l1" -> (p, y) -> p.sub(y).abs().mean();
            default -> throw new IllegalArgumentException("unknown loss " + name);
        };
    }
}
