package dev.dojo.training;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import dev.dojo.dataset.MnistFiles;
import java.util.List;

/**
 * The seed's image classification: 28×28 grey images into 10 classes with the MiniCNN or a wide MLP,
 * mini-batch SGD or Adam. One class serves MNIST and Fashion-MNIST; they differ only in name, class
 * names and files. With no hyperparameters it is the seed's run: MiniCNN, SGD lr 0.01, batch 128,
 * one epoch, cross-entropy.
 */
public final class MnistTask implements TrainingTask {

    public static final String MNIST = "mnist";
    public static final String FASHION_MNIST = "fashion-mnist";
    public static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    public static final List<String> FASHION_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final int FULL_TRAINING_SET = 60_000;
    static final String MINI_CNN = "mini-cnn";
    static final String WIDE_NET = "wide-net";

    static final ParameterInfo MODEL = ParameterInfo.choice("model", MINI_CNN, List.of(MINI_CNN, WIDE_NET),
            "mini-cnn (the seed's MiniCNN: two 3×3 convolutions, max-pool, 9216→128→10) or wide-net "
                    + "(an MLP on the 784 flattened pixels: the seed's exercise).");
    static final ParameterInfo EPOCHS = ParameterInfo.integer("epochs", 1, 1, 100,
            "Passes over the training images (the seed runs 1).");
    static final ParameterInfo LEARNING_RATE = ParameterInfo.number("learningRate", 0.01, 1e-7, 10,
            "Step size of the optimizer; the seed's SGD uses 0.01 (around 0.001 suits adam).");
    static final ParameterInfo OPTIMIZER = ParameterInfo.choice("optimizer", "sgd", List.of("sgd", "adam"),
            "sgd (the seed's) with optional momentum, or adam (beta1 0.9, beta2 0.999, eps 1e-8).");
    static final ParameterInfo MOMENTUM = ParameterInfo.number("momentum", 0.0, 0, 0.999,
            "Momentum for sgd; must stay 0 with adam.");
    static final ParameterInfo LOSS = ParameterInfo.choice("loss", "cross-entropy", List.of("cross-entropy", "mse-onehot"),
            "cross-entropy (the seed's nn.CrossEntropyLoss) or mse-onehot (mean squared error between the 10 raw "
                    + "outputs and one-hot targets: the seed's exercise).");
    static final ParameterInfo HIDDEN_UNITS = ParameterInfo.integerList("hiddenUnits", List.of(512), 1, 4096, 8,
            "wide-net only: units per hidden layer.");
    static final ParameterInfo ACTIVATION = ParameterInfo.choice("activation", "relu", List.of("relu", "tanh", "sigmoid"),
            "wide-net only: non-linearity after each hidden layer.");
    static final ParameterInfo SEED = new ParameterInfo("seed", "integer", 0L, 0L, Long.MAX_VALUE, null,
            "Seeds the weight initialisation and each epoch's shuffle: one spec, one result.");
    static final ParameterInfo BATCH_SIZE = ParameterInfo.integer("batchSize", 128, 1, 1024,
            "Images per optimizer step (the seed's 128).");
    static final ParameterInfo TRAIN_LIMIT = ParameterInfo.integer("trainLimit", FULL_TRAINING_SET, 1, FULL_TRAINING_SET,
            "Train on the first N training images only; the test set is always used whole.");
    static final ParameterInfo LOG_EVERY = ParameterInfo.integer("logEverySteps", 10, 1, 100_000,
            "Record train_loss every N optimizer steps.");
    static final ParameterInfo CHECKPOINT_EVERY = ParameterInfo.integer("checkpointEvery", 1, 1, 100,
            "Write a checkpoint every N epochs, and always at the end.");

    private static final int MAX_LAYERS = 8;

    private final String name;
    private final List<String> classes;
    private final MnistFiles files;

    /**
     * @param name the task's name, {@link #MNIST} or {@link #FASHION_MNIST} for the standard sets
     * @param classes the 10 class names, in label order
     * @param files where the images come from; loaded on the first training run, then kept
     */
    public MnistTask(String name, List<String> classes, MnistFiles files) {
        if (classes.size() != 10) {
            throw new IllegalArgumentException("MNIST-style data has 10 classes, got " + classes.size());
        }
        this.name = name;
        this.classes = List.copyOf(classes);
        this.files = files;
    }

    /** MNIST digits under the task name {@code mnist}. */
    public static MnistTask mnist(MnistFiles files) {
        return new MnistTask(MNIST, DIGITS, files);
    }

    /** Fashion-MNIST clothes under the task name {@code fashion-mnist}. */
    public static MnistTask fashionMnist(MnistFiles files) {
        return new MnistTask(FASHION_MNIST, FASHION_CLASSES, files);
    }

    @Override
    public String name() {
        return name;
    }

    /** The test images, loaded (once per process) from this task's files. */
    public dev.dojo.dataset.ImageSet testImages() {
        return files.load().test();
    }

    public List<String> classes() {
        return classes;
    }

    /** Turns this task's model outputs into probabilities and labels (digits as numbers, clothes as names). */
    public Classifier classifier() {
        return new Classifier(classes);
    }

    @Override
    public TaskDescription describe() {
        return new TaskDescription(name,
                "Classify 28×28 grey images of " + files.dataset() + " into " + String.join(", ", classes)
                        + ", with the seed's MiniCNN or a wide MLP. Input per instance: 1×28×28 floats in [0, 1].",
                List.of(MODEL, EPOCHS, LEARNING_RATE, OPTIMIZER, MOMENTUM, LOSS, HIDDEN_UNITS, ACTIVATION, SEED,
                        BATCH_SIZE, TRAIN_LIMIT, LOG_EVERY, CHECKPOINT_EVERY),
                List.of());
    }

    @Override
    public TrainingSpec resolve(Hyperparameters rq, DataSpec data) {
        Hyperparameters in = rq == null ? Hyperparameters.none() : rq;
        DataSpec d = data == null ? DataSpec.none() : data;
        String hp = "hyperparameters.";
        SpecResolver r = new SpecResolver();
        String model = r.choice(hp, MODEL, in.model());
        boolean wide = WIDE_NET.equals(model);
        int epochs = r.integer(hp, EPOCHS, in.epochs());
        double lr = r.number(hp, LEARNING_RATE, in.learningRate());
        String optimizer = r.choice(hp, OPTIMIZER, in.optimizer());
        double momentum = r.number(hp, MOMENTUM, in.momentum());
        r.check(momentum == 0 || !"adam".equals(optimizer), hp + "momentum", "applies to sgd only; adam has its own moments");
        String loss = r.choice(hp, LOSS, in.loss());
        List<Integer> hidden = null;
        String activation = null;
        if (wide) {
            hidden = r.integerList(hp, HIDDEN_UNITS, MAX_LAYERS, in.hiddenUnits());
            activation = r.choice(hp, ACTIVATION, in.activation());
            r.mlpSize(hp + "hiddenUnits", 28 * 28, hidden, 10);
        } else {
            r.check(in.hiddenUnits() == null, hp + "hiddenUnits", "applies to model \"wide-net\" only; remove it for " + model);
            r.check(in.activation() == null, hp + "activation", "applies to model \"wide-net\" only; remove it for " + model);
        }
        long seed = r.longValue(hp, SEED, in.seed());
        int batchSize = r.integer(hp, BATCH_SIZE, in.batchSize());
        int trainLimit = r.integer(hp, TRAIN_LIMIT, in.trainLimit());
        int logEvery = r.integer(hp, LOG_EVERY, in.logEverySteps());
        int checkpointEvery = r.integer(hp, CHECKPOINT_EVERY, in.checkpointEvery());
        r.unused("data.samples", d.samples(), name);
        r.unused("data.noise", d.noise(), name);
        r.throwIfInvalid();
        return new TrainingSpec(name,
                new Hyperparameters(epochs, lr, optimizer, momentum, loss, hidden, activation, seed,
                        model, batchSize, trainLimit, logEvery, checkpointEvery),
                DataSpec.none());
    }

    @Override
    public Network network(TrainingSpec spec) {
        Hyperparameters hp = spec.hyperparameters();
        if (WIDE_NET.equals(hp.model())) {
            return Networks.mlp(28 * 28, hp.hiddenUnits(), hp.activation(), 10, new Shape(1, 1, 28, 28), true);
        }
        return Networks.miniCnn();
    }

    @Override
    public TrainingResult train(TrainingSpec spec, byte[] resumeFrom, TrainingListener listener, List<Device> devices) {
        return new ClassifierTraining(name, classes, files.load(), spec, () -> network(spec), listener).run(resumeFrom, devices);
    }
}
