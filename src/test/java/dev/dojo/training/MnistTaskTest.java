package dev.dojo.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.dojo.dataset.ImageSet;
import dev.dojo.dataset.MnistFiles;
import dev.dojo.dataset.Subset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MNIST training on the committed 2,000/1,000-image excerpt of the real data set. */
class MnistTaskTest {

    private static final MnistFiles SUBSET = MnistFiles.unpinned("MNIST subset", Subset.directory());

    private final MnistTask task = MnistTask.mnist(SUBSET);

    /** Hyperparameters in record order, for readability below. */
    private static Hyperparameters hp(Integer epochs, Double lr, String optimizer, Double momentum, String loss,
            List<Integer> hidden, String activation, Long seed, String model, Integer batchSize, Integer trainLimit,
            Integer logEvery, Integer checkpointEvery) {
        return new Hyperparameters(epochs, lr, optimizer, momentum, loss, hidden, activation, seed, model, batchSize,
                trainLimit, logEvery, checkpointEvery, null, null, null, null, null);
    }

    @Test
    void noHyperparametersMeansTheSeedRun() {
        TrainingSpec spec = task.resolve(null, null);
        Hyperparameters hp = spec.hyperparameters();

        assertThat(spec.task()).isEqualTo("mnist");
        assertThat(hp.model()).isEqualTo("mini-cnn");
        assertThat(hp.optimizer()).isEqualTo("sgd");
        assertThat(hp.learningRate()).isEqualTo(0.01);
        assertThat(hp.momentum()).isEqualTo(0.0);
        assertThat(hp.batchSize()).isEqualTo(128);
        assertThat(hp.epochs()).isEqualTo(1);
        assertThat(hp.loss()).isEqualTo("cross-entropy");
        assertThat(hp.trainLimit()).isEqualTo(60_000);
        assertThat(hp.hiddenUnits()).isNull();
        assertThat(hp.activation()).isNull();
        // The seed's MiniCNN: 320 + 18,496 + 1,179,776 + 1,290 parameters.
        assertThat(ModelSummary.of(task, spec).totalParameters()).isEqualTo(1_199_882);
        assertThat(task.describe().hyperparameters()).extracting(ParameterInfo::name)
                .contains("model", "batchSize", "trainLimit", "hiddenUnits");
    }

    @Test
    void miniCnnLearnsDigitsAndReportsAConfusionMatrixThatTheSavedModelReproduces() {
        TrainingSpec spec = task.resolve(hp(2, 0.001, "adam", null, null, null, null, 1L, null, 32, 2000, null, null), null);
        RecordingListener listener = new RecordingListener();

        TrainingResult result = task.train(spec, null, listener, List.of(Device.cpu()));

        assertThat(result).isEqualTo(new TrainingResult(TrainingResult.Outcome.COMPLETED, 2, 126));
        // 63 steps per epoch (2,000 / 32, the last batch holding 16): train_loss at steps 10, 20, …, 120.
        assertThat(listener.metrics.stream().filter(p -> p.name().equals("train_loss")).map(RecordingListener.Point::step))
                .containsExactly(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L, 110L, 120L);
        assertThat(listener.values("images_per_second")).hasSize(2).allMatch(v -> v > 0);
        List<Double> epochLoss = listener.values("epoch_train_loss");
        assertThat(epochLoss.get(1)).isLessThan(epochLoss.get(0));
        List<Double> accuracy = listener.values("test_accuracy");
        // Seen: 0.859 after epoch 1 and 0.901 after epoch 2 on the 1,000 test digits.
        assertThat(accuracy.get(1)).isGreaterThan(0.85);
        assertThat(listener.values("test_loss").get(1)).isLessThan(0.5);
        assertThat(listener.checkpoints).extracting(RecordingListener.Saved::epoch).containsExactly(1, 2);

        assertThat(listener.evaluations).hasSize(1);
        Evaluation evaluation = listener.evaluations.get(0);
        assertThat(evaluation.epoch()).isEqualTo(2);
        assertThat(evaluation.classes()).isEqualTo(MnistTask.DIGITS);
        assertThat(evaluation.examples()).isEqualTo(1000);
        assertThat(evaluation.accuracy()).isEqualTo(accuracy.get(1));
        ImageSet test = SUBSET.load().test();
        for (int digit = 0; digit < 10; digit++) {
            long row = 0;
            for (long count : evaluation.confusion()[digit]) {
                row += count;
            }
            assertThat(row).isEqualTo(countLabel(test, digit));
            assertThat(evaluation.perClassAccuracy().get(digit)).isEqualTo((double) evaluation.confusion()[digit][digit] / row);
        }

        // The final checkpoint, loaded for inference, classifies the test set exactly as the evaluation did.
        byte[] last = listener.checkpoints.get(1).bytes();
        Classifier classifier = new Classifier(MnistTask.DIGITS);
        long[][] confusion = new long[10][10];
        try (TrainedModel model = TrainedModel.load(task, spec, last, Device.cpu())) {
            assertThat(model.instanceShape().getShape()).containsExactly(1, 28, 28);
            float[] pixels = new float[test.size() * 784];
            for (int i = 0; i < test.size(); i++) {
                test.copyScaled(i, pixels, i * 784);
            }
            List<Classifier.Prediction> predictions = classifier.classify(model.forward(pixels, test.size()));
            for (int i = 0; i < test.size(); i++) {
                confusion[test.label(i)][predictions.get(i).classIndex()]++;
            }
            assertThat(predictions.get(0).label()).isEqualTo(7);
            assertThat(predictions.get(0).probabilities().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                    org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(confusion).isDeepEqualTo(evaluation.confusion());
    }

    @Test
    void sameSpecGivesIdenticalMetricsAndAnotherSeedDoesNot() {
        TrainingSpec spec = task.resolve(hp(1, null, null, null, null, null, null, 5L, null, 32, 256, 1, null), null);
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        task.train(spec, null, a, List.of(Device.cpu()));
        task.train(spec, null, b, List.of(Device.cpu()));
        TrainingSpec other = task.resolve(hp(1, null, null, null, null, null, null, 6L, null, 32, 256, 1, null), null);
        RecordingListener c = new RecordingListener();
        task.train(other, null, c, List.of(Device.cpu()));

        assertThat(a.metrics).hasSize(8 + 4);
        assertThat(withoutTimings(a.metrics)).isEqualTo(withoutTimings(b.metrics));
        assertThat(a.evaluations.get(0).confusion()).isDeepEqualTo(b.evaluations.get(0).confusion());
        assertThat(a.values("train_loss")).isNotEqualTo(c.values("train_loss"));
    }

    @Test
    void resumedRunEndsExactlyWhereAnUninterruptedOneDoes() {
        // SGD with momentum, so the checkpoint must carry the momentum buffers too.
        TrainingSpec spec = task.resolve(hp(2, 0.02, "sgd", 0.9, null, null, null, 3L, null, 32, 256, 1, null), null);
        RecordingListener whole = new RecordingListener();
        task.train(spec, null, whole, List.of(Device.cpu()));

        RecordingListener first = new RecordingListener();
        first.stopAfterMetrics = 8 + 4 + 3; // epoch 1 (8 steps, 4 epoch metrics) and 3 steps of epoch 2
        TrainingResult stopped = task.train(spec, null, first, List.of(Device.cpu()));
        assertThat(stopped).isEqualTo(new TrainingResult(TrainingResult.Outcome.STOPPED, 1, 11));
        assertThat(first.checkpoints).extracting(RecordingListener.Saved::epoch).containsExactly(1);
        assertThat(first.evaluations).isEmpty();
        assertThat(withoutTimings(first.metrics.subList(0, 12))).isEqualTo(withoutTimings(whole.metrics.subList(0, 12)));

        RecordingListener second = new RecordingListener();
        TrainingResult resumed = task.train(spec, first.checkpoints.get(0).bytes(), second, List.of(Device.cpu()));

        assertThat(resumed).isEqualTo(new TrainingResult(TrainingResult.Outcome.COMPLETED, 2, 16));
        assertThat(second.metrics.get(0)).isEqualTo(whole.metrics.get(12));
        assertThat(withoutTimings(second.metrics)).isEqualTo(withoutTimings(whole.metrics.subList(12, 24)));
        assertThat(second.evaluations.get(0).confusion()).isDeepEqualTo(whole.evaluations.get(0).confusion());
    }

    @Test
    void gracefulStopMidEpochCheckpointsWhereItIsAndResumesExactly() {
        TrainingSpec spec = task.resolve(hp(2, 0.02, "sgd", 0.9, null, null, null, 3L, null, 32, 256, 1, null), null);
        RecordingListener whole = new RecordingListener();
        task.train(spec, null, whole, List.of(Device.cpu()));

        RecordingListener first = new RecordingListener();
        first.gracefully = true;
        first.stopAfterMetrics = 8 + 4 + 3; // epoch 1, then 3 of epoch 2's 8 batches
        TrainingResult stopped = task.train(spec, null, first, List.of(Device.cpu()));
        assertThat(stopped).isEqualTo(new TrainingResult(TrainingResult.Outcome.STOPPED, 1, 11));
        RecordingListener.Saved midEpoch = first.checkpoints.get(first.checkpoints.size() - 1);
        assertThat(midEpoch.epoch()).isEqualTo(1);
        assertThat(midEpoch.step()).isEqualTo(11);
        assertThat(CheckpointCodec.decode(midEpoch.bytes()).meta().getProperty(ClassifierTraining.BATCHES_DONE)).isEqualTo("3");

        RecordingListener second = new RecordingListener();
        TrainingResult resumed = task.train(spec, midEpoch.bytes(), second, List.of(Device.cpu()));

        assertThat(resumed).isEqualTo(new TrainingResult(TrainingResult.Outcome.COMPLETED, 2, 16));
        assertThat(second.metrics.get(0).step()).isEqualTo(12);
        assertThat(withoutTimings(second.metrics)).isEqualTo(withoutTimings(whole.metrics.subList(15, 24)));
        assertThat(second.evaluations.get(0).confusion()).isDeepEqualTo(whole.evaluations.get(0).confusion());
    }

    @Test
    void wideNetWithMseOnOneHotTargetsLearns() {
        TrainingSpec spec = task.resolve(hp(3, 0.05, null, null, "mse-onehot", List.of(128), null, 2L, "wide-net", 32, 2000, null, null), null);
        assertThat(spec.hyperparameters().activation()).isEqualTo("relu");
        assertThat(ModelSummary.of(task, spec).layers()).first().isEqualTo("Flatten(start_dim=1, end_dim=-1)");
        RecordingListener listener = new RecordingListener();

        task.train(spec, null, listener, List.of(Device.cpu()));

        List<Double> losses = listener.values("epoch_train_loss");
        // MSE against one-hot targets starts near 0.1 (outputs near 0, one target of 1 in 10).
        assertThat(losses.get(2)).isLessThan(losses.get(0) * 0.8);
        assertThat(listener.values("test_loss").get(2)).isLessThan(listener.values("test_loss").get(0));
        assertThat(listener.values("test_accuracy").get(2)).isGreaterThan(0.6);
    }

    @Test
    void refusesBadFieldsByName() {
        Hyperparameters bad = hp(101, -1.0, "adam", 0.5, "hinge", List.of(64), "relu", null, "resnet", 0, 0, 0, 0);
        assertThatThrownBy(() -> task.resolve(bad, new DataSpec(100, 0.1)))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .extracting(InvalidSpecException.Violation::field)
                        .containsExactlyInAnyOrder("hyperparameters.epochs", "hyperparameters.learningRate",
                                "hyperparameters.momentum", "hyperparameters.loss", "hyperparameters.model",
                                "hyperparameters.hiddenUnits", "hyperparameters.activation", "hyperparameters.batchSize",
                                "hyperparameters.trainLimit", "hyperparameters.logEverySteps",
                                "hyperparameters.checkpointEvery", "data.samples", "data.noise"));

        assertThatThrownBy(() -> task.resolve(hp(null, null, null, null, null, List.of(4096, 4096, 4096), null, null, "wide-net",
                null, null, null, null), null))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .extracting(InvalidSpecException.Violation::field).containsExactly("hyperparameters.hiddenUnits"));
        assertThatThrownBy(() -> task.resolve(hp(null, null, null, null, null, null, "sine", null, "wide-net",
                null, 60_001, null, null), null))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .extracting(InvalidSpecException.Violation::field)
                        .containsExactly("hyperparameters.activation", "hyperparameters.trainLimit"));
    }

    @Test
    void eachEpochsOrderIsAPermutationFixedBySeedAndEpoch() {
        int[] a = ClassifierTraining.order(1000, 7, 3);
        assertThat(a).isEqualTo(ClassifierTraining.order(1000, 7, 3));
        assertThat(a).isNotEqualTo(ClassifierTraining.order(1000, 7, 4));
        assertThat(a).isNotEqualTo(ClassifierTraining.order(1000, 8, 3));
        assertThat(a.clone()).satisfies(sorted -> {
            java.util.Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                assertThat(sorted[i]).isEqualTo(i);
            }
        });
    }

    private static long countLabel(ImageSet set, int label) {
        long n = 0;
        for (int i = 0; i < set.size(); i++) {
            n += set.label(i) == label ? 1 : 0;
        }
        return n;
    }

    /** Throughput is wall-clock time, the one metric a rerun may not repeat. */
    static List<RecordingListener.Point> withoutTimings(List<RecordingListener.Point> metrics) {
        List<RecordingListener.Point> kept = new ArrayList<>();
        for (RecordingListener.Point p : metrics) {
            if (!p.name().equals("images_per_second")) {
                kept.add(p);
            }
        }
        return kept;
    }
}
