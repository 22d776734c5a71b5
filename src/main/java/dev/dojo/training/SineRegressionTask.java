package dev.dojo.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.dojo.dataset.SineData;
import java.util.List;
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
    static final ParameterInfo MOMENTUM = ParameterInfo.number("momentum", 0.0, 0, 0.999,
            "Momentum for sgd; must stay 0 with adam.");
    static final ParameterInfo LOSS = ParameterInfo.choice("loss", "mse", List.of("mse", "l1"),
            "mse (the seed's nn.MSELoss) or l1 (mean absolute error).");
    static final ParameterInfo HIDDEN_UNITS = ParameterInfo.integerList("hiddenUnits", List.of(512), 1, 4096, 8,
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

    private static final int MAX_LAYERS = 8;
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
                List.of(EPOCHS, LEARNING_RATE, OPTIMIZER, MOMENTUM, LOSS, HIDDEN_UNITS, ACTIVATION, SEED, LOG_EVERY, CHECKPOINT_EVERY),
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
        double momentum = r.number(hp, MOMENTUM, in.momentum());
        r.check(momentum == 0 || !"adam".equals(optimizer), hp + "momentum", "applies to sgd only; adam has its own moments");
        String loss = r.choice(hp, LOSS, in.loss());
        List<Integer> hidden = r.integerList(hp, HIDDEN_UNITS, MAX_LAYERS, in.hiddenUnits());
        String activation = r.choice(hp, ACTIVATION, in.activation());
        long seed = r.longValue(hp, SEED, in.seed());
        int logEvery = r.integer(hp, LOG_EVERY, in.logEverySteps());
        Integer checkpointEvery = in.checkpointEvery() == null ? Math.max(1, epochs / 10) : r.integer(hp, CHECKPOINT_EVERY, in.checkpointEvery());
        r.unused(hp + "model", in.model(), NAME);
        r.unused(hp + "batchSize", in.batchSize(), NAME);
        r.unused(hp + "trainLimit", in.trainLimit(), NAME);
        int samples = r.integer("data.", SAMPLES, d.samples());
        double noise = r.number("data.", NOISE, d.noise());
        r.mlpSize(hp + "hiddenUnits", 1, hidden, 1);
        r.throwIfInvalid();
        return new TrainingSpec(NAME,
                new Hyperparameters(epochs, lr, optimizer, momentum, loss, hidden, activation, seed,
                        null, null, null, logEvery, checkpointEvery),
                new DataSpec(samples, noise));
    }

    @Override
    public Network network(TrainingSpec spec) {
        Hyperparameters hp = spec.hyperparameters();
        return Networks.mlp(1, hp.hiddenUnits(), hp.activation(), 1, new Shape(1, 1), false);
    }

    @Override
    public TrainingResult train(TrainingSpec spec, byte[] resumeFrom, TrainingListener listener, List<Device> devices) {
        Hyperparameters hp = spec.hyperparameters();
        SineData data = SineData.generate(spec.data().samples(), spec.data().noise(), hp.seed());
        int n = data.inputs().length;
        long widest = (long) n * hp.hiddenUnits().stream().mapToInt(Integer::intValue).max().orElse(1);
        try (IntraOpThreads threads = IntraOpThreads.limit(widest <= ONE_THREAD_UP_TO ? 1 : 0, devices.get(0));
             TrainingSession session = new TrainingSession(NAME, () -> network(spec), hp, devices)) {
            int done = resumeFrom == null ? 0 : session.restore(resumeFrom).epoch();
            NDArray x = session.manager().create(data.inputs(), new Shape(n, 1));
            NDArray y = session.manager().create(data.targets(), new Shape(n, 1));
            BinaryOperator<NDArray> loss = loss(hp.loss());
            for (int epoch = done + 1; epoch <= hp.epochs(); epoch++) {
                if (listener.shouldStop()) {
                    int last = epoch - 1;
                    if (listener.checkpointOnStop() && last > done && last % hp.checkpointEvery() != 0) {
                        listener.onCheckpoint(last, session.steps(), session.checkpoint(last, new Properties()));
                    }
                    return new TrainingResult(TrainingResult.Outcome.STOPPED, last, session.steps());
                }
                float value = session.step(x, y, loss);
                if (epoch % hp.logEverySteps() == 0 || epoch == hp.epochs()) {
                    listener.onMetric(epoch, session.steps(), "train_loss", value);
                }
                if (epoch % hp.checkpointEvery() == 0 || epoch == hp.epochs()) {
                    listener.onCheckpoint(epoch, session.steps(), session.checkpoint(epoch, new Properties()));
                }
                listener.onEpochEnd(epoch);
            }
            return new TrainingResult(TrainingResult.Outcome.COMPLETED, hp.epochs(), session.steps());
        }
    }

    static BinaryOperator<NDArray> loss(String name) {
        return switch (name) {
            case "mse" -> (p, y) -> p.sub(y).square().mean();
            case "l1" -> (p, y) -> p.sub(y).abs().mean();
            default -> throw new IllegalArgumentException("unknown loss " + name);
        };
    }
}
