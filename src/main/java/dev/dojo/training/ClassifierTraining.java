package dev.dojo.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dojo.dataset.ImageSet;
import dev.dojo.dataset.MnistData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    private final int pixels;
    private final Shape imageShape;
    private final float[] images;
    private final float[] targets;
    private final ByteBuffer imageBuffer;
    private final ByteBuffer targetBuffer;

    static final String BATCHES_DONE = "epoch.batchesDone";
    static final String LOSS_SO_FAR = "epoch.lossSum";

    /** Where in an epoch a run is: batches done and the summed loss of their examples. */
    private record Position(int batchesDone, double lossSum) {}

    /** The scores of one pass over the test set. */
    private record Scores(double loss, long[][] confusion, long correct, long total) {}

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
        this.pixels = data.train().pixelsPerImage();
        this.imageShape = new Shape(1, data.train().rows(), data.train().cols());
        int buffer = Math.max(hp.batchSize(), EVALUATION_BATCH);
        this.images = new float[buffer * pixels];
        this.targets = new float[hp.batchSize() * classes.size()];
        this.imageBuffer = ByteBuffer.allocateDirect(images.length * Float.BYTES).order(ByteOrder.nativeOrder());
        this.targetBuffer = ByteBuffer.allocateDirect(targets.length * Float.BYTES).order(ByteOrder.nativeOrder());
    }

    TrainingResult run(byte[] resumeFrom, List<Device> devices) {
        try (TrainingSession session = new TrainingSession(task, networks, hp, devices)) {
            CheckpointCodec.Contents resumed = resumeFrom == null ? null : session.restore(resumeFrom);
            int done = resumed == null ? 0 : resumed.epoch();
            Position start = resumed == null ? new Position(0, 0) : new Position(
                    Integer.parseInt(resumed.meta().getProperty(BATCHES_DONE, "0")),
                    Double.parseDouble(resumed.meta().getProperty(LOSS_SO_FAR, "0")));
            for (int epoch = done + 1; epoch <= hp.epochs(); epoch++) {
                Position position = trainEpoch(session, epoch, epoch == done + 1 ? start : new Position(0, 0));
                if (position != null) {
                    return stopped(epoch - 1, session, position);
                }
                Scores scores = evaluate(session);
                if (scores == null) {
                    return stopped(epoch - 1, session, new Position(batches(), Double.NaN));
                }
                listener.onMetric(epoch, session.steps(), "test_loss", scores.loss());
                listener.onMetric(epoch, session.steps(), "test_accuracy", (double) scores.correct() / scores.total());
                if (epoch == hp.epochs()) {
                    listener.onEvaluation(Evaluation.of(epoch, classes, scores.confusion()));
                }
                if (epoch % hp.checkpointEvery() == 0 || epoch == hp.epochs()) {
                    Properties meta = new Properties();
                    meta.setProperty("model", hp.model());
                    listener.onCheckpoint(epoch, session.steps(), session.checkpoint(epoch, meta));
                }
                listener.onEpochEnd(epoch);
            }
            if (done >= hp.epochs()) {
                // Resumed from the final checkpoint: only the closing evaluation is left to report.
                Scores scores = evaluate(session);
                if (scores == null) {
                    return stopped(done, session);
                }
                listener.onEvaluation(Evaluation.of(done, classes, scores.confusion()));
            }
            return new TrainingResult(TrainingResult.Outcome.COMPLETED, Math.max(done, hp.epochs()), session.steps());
        }
    }

    /**
     * One pass over the (limited) training set from {@code start}; null when it ran to the end,
     * else the position where the listener stopped it.
     */
    private Position trainEpoch(TrainingSession session, int epoch, Position start) {
        ImageSet train = data.train();
        int[] order = order(trainSize, hp.seed(), epoch);
        int batchSize = hp.batchSize();
        double lossSum = start.lossSum();
        int first = start.batchesDone() * batchSize;
        long began = System.nanoTime();
        for (int from = first; from < trainSize; from += batchSize) {
            if (listener.shouldStop()) {
                return new Position(from / batchSize, lossSum);
            }
            int size = Math.min(batchSize, trainSize - from);
            java.util.Arrays.fill(targets, 0, size * classes.size(), 0f);
            for (int i = 0; i < size; i++) {
                int item = order[from + i];
                train.copyScaled(item, images, i * pixels);
                targets[i * classes.size() + train.label(item)] = 1f;
            }
            float value;
            try (NDManager batch = session.manager().newSubManager()) {
                NDArray x = array(batch, imageBuffer, images, new Shape(size).addAll(imageShape));
                NDArray y = array(batch, targetBuffer, targets, new Shape(size, classes.size()));
                value = session.step(x, y, loss);
            }
            lossSum += (double) value * size;
            if (session.steps() % hp.logEverySteps() == 0) {
                listener.onMetric(epoch, session.steps(), "train_loss", value);
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

    /** The whole test set, in batches, without gradients; null when the listener stopped it. */
    private Scores evaluate(TrainingSession session) {
        ImageSet test = data.test();
        int k = classes.size();
        long[][] confusion = new long[k][k];
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < test.size(); from += EVALUATION_BATCH) {
            if (listener.shouldStop()) {
                return null;
            }
            int size = Math.min(EVALUATION_BATCH, test.size() - from);
            for (int i = 0; i < size; i++) {
                test.copyScaled(from + i, images, i * pixels);
            }
            float[] outputs;
            try (NDManager batch = session.manager().newSubManager(); NDManager scope = session.manager().newSubManager()) {
                NDArray x = array(batch, imageBuffer, images, new Shape(size).addAll(imageShape));
                outputs = session.predict(x, scope).toFloatArray();
            }
            float[] row = new float[k];
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

    /**
     * A float array of {@code shape} from the start of {@code values}, through one direct buffer
     * reused for every batch. On the CPU PyTorch wraps that buffer rather than copying it, which is
     * safe because each batch's arrays are closed before the buffer is filled again; this spares a
     * fresh native allocation per batch.
     */
    private static NDArray array(NDManager manager, ByteBuffer buffer, float[] values, Shape shape) {
        int count = Math.toIntExact(shape.size());
        buffer.clear();
        buffer.asFloatBuffer().put(values, 0, count);
        buffer.limit(count * Float.BYTES);
        return manager.create(buffer, shape, DataType.FLOAT32);
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

    private TrainingResult stopped(int lastEpoch, TrainingSession session) {
        return new TrainingResult(TrainingResult.Outcome.STOPPED, lastEpoch, session.steps());
    }

    /**
     * Stops; for a graceful shutdown first checkpoints where the run is, mid-epoch if need be. A stop
     * during evaluation checkpoints the finished epoch's training (its loss sum is then unknown, so
     * the resumed run re-evaluates and reports no epoch_train_loss twice).
     */
    private TrainingResult stopped(int lastEpoch, TrainingSession session, Position position) {
        if (listener.checkpointOnStop() && (position.batchesDone() > 0 || lastEpoch > 0)) {
            Properties meta = new Properties();
            meta.setProperty("model", hp.model());
            meta.setProperty(BATCHES_DONE, Integer.toString(position.batchesDone()));
            meta.setProperty(LOSS_SO_FAR, Double.toString(position.lossSum()));
            listener.onCheckpoint(lastEpoch, session.steps(), session.checkpoint(lastEpoch, meta));
        }
        return stopped(lastEpoch, session);
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
