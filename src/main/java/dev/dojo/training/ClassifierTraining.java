package dev.dojo.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.dojo.dataset.ImageSet;
import dev.dojo.dataset.MnistData;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * One run of an image classifier: shuffled mini-batch epochs, each followed by a pass over the whole
 * test set, checkpoints at epoch ends, and the confusion matrix at the end. Each epoch's order
 * depends only on (seed, epoch), so a resumed run sees the same batches as an uninterrupted one. A
 * run stopped for a graceful shutdown checkpoints mid-epoch: the checkpoint records how many of the
 * next epoch's batches are done and their loss so far, and the resumed run picks up at the next batch.
 * <p>
 * The (limited) training set is held on the training device as one float tensor of scaled pixels and
 * one of targets (one-hot, label-smoothed when the spec asks), built once per run; a batch is a gather
 * of its rows by the epoch's order, which also lives on the device, so no image crosses from Java per
 * batch. The test set is held the same way and evaluated in slices of {@link #EVALUATION_BATCH}.
 */
final class ClassifierTraining {

    static final int EVALUATION_BATCH = 1000;

    private final String task;
    private final List<String> classes;
    private final MnistData data;
    private final Hyperparameters hp;
    private final Supplier<Network> networks;
    private final TrainingListener listener;
    private final BinaryOperator<NDArray> loss;
    private final int trainSize;

    static final String BATCHES_DONE = "epoch.batchesDone";
    static final String LOSS_SO_FAR = "epoch.lossSum";

    /** Where in an epoch a run is: batches done and the summed loss of their examples. */
    private record Position(int batchesDone, double lossSum) {}

    /** The scores of one pass over the test set. */
    private record Scores(double loss, long[][] confusion, long correct, long total) {}

    /** The run's data on the training device: training images and targets, and the test images. */
    private record OnDevice(NDArray trainImages, NDArray trainTargets, NDArray testImages) {}

    ClassifierTraining(String task, List<String> classes, MnistData data, TrainingSpec spec, Supplier<Network> networks,
                       TrainingListener listener) {
        this.task = task;
        this.classes = classes;
        this.data = data;
        this.hp = spec.hyperparameters();
        this.networks = networks;
        this.listener = listener;
        this.loss = loss(hp.loss());
        this.trainSize = Math.min(hp.trainLimit(), data.train().size());
    }

    TrainingResult run(byte[] resumeFrom, WarmStart warm, List<Device> devices) {
        try (TrainingSession session = new TrainingSession(task, networks, hp, devices, (long) hp.epochs() * batches(), warm)) {
            CheckpointCodec.Contents resumed = resumeFrom == null ? null : session.restore(resumeFrom);
            int done = resumed == null ? 0 : resumed.epoch();
            Position start = resumed == null ? new Position(0, 0) : new Position(
                    Integer.parseInt(resumed.meta().getProperty(BATCHES_DONE, "0")),
                    Double.parseDouble(resumed.meta().getProperty(LOSS_SO_FAR, "0")));
            EpochLoop loop = new EpochLoop(listener, session, hp.epochs(), hp.checkpointEvery());
            OnDevice on = new OnDevice(images(session.manager(), data.train(), trainSize), targets(session.manager()),
                    images(session.manager(), data.test(), data.test().size()));
            for (int epoch = done + 1; epoch <= hp.epochs(); epoch++) {
                Position position = trainEpoch(session, loop, on, epoch, epoch == done + 1 ? start : new Position(0, 0));
                if (position != null) {
                    return loop.stopped(epoch - 1, meta(position));
                }
                Scores scores = evaluate(session, loop, on);
                if (scores == null) {
                    return loop.stopped(epoch - 1, meta(new Position(batches(), Double.NaN)));
                }
                listener.onMetric(epoch, session.steps(), "test_loss", scores.loss());
                listener.onMetric(epoch, session.steps(), "test_accuracy", (double) scores.correct() / scores.total());
                if (epoch == hp.epochs()) {
                    listener.onEvaluation(Evaluation.of(epoch, classes, scores.confusion()));
                }
                loop.epochDone(epoch, meta(null));
            }
            if (done >= hp.epochs()) {
                // Resumed from the final checkpoint: only the closing evaluation is left to report.
                Scores scores = evaluate(session, loop, on);
                if (scores == null) {
                    return loop.stopped(done, meta(null));
                }
                listener.onEvaluation(Evaluation.of(done, classes, scores.confusion()));
            }
            return loop.completed(Math.max(done, hp.epochs()));
        }
    }

    /**
     * The first {@code count} images of {@code set} as one float tensor of pixels / 255, shape
     * (count, 1, rows, cols), on the manager's device: the raw bytes cross once, and the device scales them.
     */
    private static NDArray images(NDManager manager, ImageSet set, int count) {
        ByteBuffer raw = ByteBuffer.allocateDirect(count * set.pixelsPerImage());
        set.putPixels(0, count, raw);
        raw.flip();
        Shape shape = new Shape(count, 1, set.rows(), set.cols());
        try (NDManager scope = manager.newSubManager()) {
            NDArray bytes = scope.create(raw, shape, DataType.UINT8);
            NDArray scaled = bytes.toType(DataType.FLOAT32, false).divi(255f);
            scaled.attach(manager);
            return scaled;
        }
    }

    /** The training targets: one-hot rows, or 1 - s + s/k on the label and s/k elsewhere with label smoothing s. */
    private NDArray targets(NDManager manager) {
        int k = classes.size();
        double s = hp.labelSmoothing() == null ? 0 : hp.labelSmoothing();
        float off = (float) (s / k);
        float on = (float) (1 - s + s / k);
        float[] values = new float[trainSize * k];
        java.util.Arrays.fill(values, off);
        for (int i = 0; i < trainSize; i++) {
            values[i * k + data.train().label(i)] = on;
        }
        return manager.create(values, new Shape(trainSize, k));
    }

    /**
     * A checkpoint's metadata: the model, and for a checkpoint taken mid-epoch (a graceful shutdown)
     * how many of the next epoch's batches are done and their loss so far. A stop during evaluation
     * checkpoints the finished epoch's training; its loss sum is then unknown, so the resumed run
     * re-evaluates and reports no epoch_train_loss twice.
     */
    private Properties meta(Position position) {
        Properties meta = new Properties();
        meta.setProperty("model", hp.model());
        if (position != null) {
            meta.setProperty(BATCHES_DONE, Integer.toString(position.batchesDone()));
            meta.setProperty(LOSS_SO_FAR, Double.toString(position.lossSum()));
        }
        return meta;
    }

    /**
     * One pass over the (limited) training set from {@code start}; null when it ran to the end,
     * else the position where the listener stopped it.
     */
    private Position trainEpoch(TrainingSession session, EpochLoop loop, OnDevice on, int epoch, Position start) {
        int[] shuffled = order(trainSize, hp.seed(), epoch);
        long[] indices = new long[trainSize];
        for (int i = 0; i < trainSize; i++) {
            indices[i] = shuffled[i];
        }
        int batchSize = hp.batchSize();
        double lossSum = start.lossSum();
        int first = start.batchesDone() * batchSize;
        long began = System.nanoTime();
        try (NDManager epochScope = session.manager().newSubManager()) {
            NDArray order = epochScope.create(indices);
            for (int from = first; from < trainSize; from += batchSize) {
                if (loop.shouldStop()) {
                    return new Position(from / batchSize, lossSum);
                }
                int size = Math.min(batchSize, trainSize - from);
                float value;
                try (NDManager batch = session.manager().newSubManager()) {
                    NDArray rows = order.get(new NDIndex("{}:{}", from, from + size));
                    rows.attach(batch);
                    NDArray x = on.trainImages().get(new NDIndex("{}", rows));
                    NDArray y = on.trainTargets().get(new NDIndex("{}", rows));
                    x.attach(batch);
                    y.attach(batch);
                    value = session.step(x, y, loss);
                }
                lossSum += (double) value * size;
                if (session.steps() % hp.logEverySteps() == 0) {
                    listener.onMetric(epoch, session.steps(), "train_loss", value);
                }
            }
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        if (!Double.isNaN(lossSum)) {
            listener.onMetric(epoch, session.steps(), "epoch_train_loss", lossSum / trainSize);
        }
        if (trainSize > first) {
            listener.onMetric(epoch, session.steps(), "images_per_second", (trainSize - first) / seconds);
        }
        return null;
    }

    private int batches() {
        return (trainSize + hp.batchSize() - 1) / hp.batchSize();
    }

    /** The whole test set, in slices, without gradients; null when the listener stopped it. */
    private Scores evaluate(TrainingSession session, EpochLoop loop, OnDevice on) {
        ImageSet test = data.test();
        int k = classes.size();
        long[][] confusion = new long[k][k];
        double lossSum = 0;
        long correct = 0;
        float[] row = new float[k];
        for (int from = 0; from < test.size(); from += EVALUATION_BATCH) {
            if (loop.shouldStop()) {
                return null;
            }
            int size = Math.min(EVALUATION_BATCH, test.size() - from);
            float[] outputs;
            try (NDManager scope = session.manager().newSubManager()) {
                NDArray x = on.testImages().get(new NDIndex("{}:{}", from, from + size));
                x.attach(scope);
                outputs = session.predict(x, scope).toFloatArray();
            }
            for (int i = 0; i < size; i++) {
                System.arraycopy(outputs, i * k, row, 0, k);
                int label = test.label(from + i);
                int predicted = Classifier.argMax(row);
                confusion[label][predicted]++;
                correct += label == predicted ? 1 : 0;
                lossSum += exampleLoss(row, label);
            }
        }
        return new Scores(lossSum / test.size(), confusion, correct, test.size());
    }

    /** The job's loss for one example, in double precision, matching the batch loss used in training. */
    private double exampleLoss(float[] row, int label) {
        if ("mse-onehot".equals(hp.loss())) {
            double sum = 0;
            for (int j = 0; j < row.length; j++) {
                double d = row[j] - (j == label ? 1 : 0);
                sum += d * d;
            }
            return sum / row.length;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : row) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum) - row[label];
    }

    /** A Fisher–Yates shuffle of {@code 0..n-1} drawn from (seed, epoch) alone. */
    static int[] order(int n, long seed, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Batch losses on (outputs, one-hot targets): mean cross-entropy over examples, or MSE over all outputs. */
    static BinaryOperator<NDArray> loss(String name) {
        return switch (name) {
            case "cross-entropy" -> (p, y) -> p.logSoftmax(1).mul(y).sum().neg().div(p.getShape().get(0));
            case "mse-onehot" -> (p, y) -> p.sub(y).square().mean();
            default -> throw new IllegalArgumentException("unknown loss " + name);
        };
    }
}
