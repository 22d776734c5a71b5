package dev.dojo.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.dojo.dataset.ImageSet;
import dev.dojo.dataset.MnistFiles;
import dev.dojo.dataset.Subset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fast recipe on the committed 2,000/1,000-image MNIST excerpt: the fast-cnn learns, a
 * one-cycle run resumes exactly mid-schedule, and recipes resolve with the spec's own fields on top.
 */
class FastRecipeTest {

    private static final MnistFiles SUBSET = MnistFiles.unpinned("MNIST subset", Subset.directory());

    private final MnistTask task = MnistTask.mnist(SUBSET);
    private final TaskCatalog catalog = new TaskCatalog(List.of(task));

    private static Hyperparameters hp(Integer epochs, Long seed, Integer batchSize, Integer trainLimit, Integer logEvery) {
        return new Hyperparameters(epochs, null, null, null, null, null, null, seed, null, batchSize, trainLimit, logEvery,
                null, null, null, null, null, null);
    }

    @Test
    void theFastRecipeResolvesToTheFastCnnWithAdamOneCycleAndLabelSmoothing() {
        Hyperparameters fast = catalog.resolve("mnist", "fast", null, null).hyperparameters();
        assertThat(fast.model()).isEqualTo("fast-cnn");
        assertThat(fast.optimizer()).isEqualTo("adam");
        assertThat(fast.learningRate()).isEqualTo(0.01);
        assertThat(fast.beta1()).isEqualTo(0.7);
        assertThat(fast.beta2()).isEqualTo(0.9);
        assertThat(fast.lrSchedule()).isEqualTo("onecycle");
        assertThat(fast.warmupFraction()).isEqualTo(0.3);
        assertThat(fast.batchSize()).isEqualTo(256);
        assertThat(fast.labelSmoothing()).isEqualTo(0.1);
        assertThat(fast.epochs()).isEqualTo(1);
        assertThat(fast.trainLimit()).isEqualTo(60_000);

        // The spec's own fields override the recipe's; the rest stays the recipe's.
        Hyperparameters mine = catalog.resolve("mnist", "fast", hp(3, 7L, 128, null, null), null).hyperparameters();
        assertThat(mine.epochs()).isEqualTo(3);
        assertThat(mine.seed()).isEqualTo(7L);
        assertThat(mine.batchSize()).isEqualTo(128);
        assertThat(mine.model()).isEqualTo("fast-cnn");
        assertThat(mine.beta1()).isEqualTo(0.7);

        // No recipe is the seed recipe: the task's defaults, as before recipes existed.
        assertThat(catalog.resolve("mnist", null, null, null)).isEqualTo(task.resolve(null, null));
        assertThat(catalog.resolve("mnist", "seed", null, null)).isEqualTo(task.resolve(null, null));
        assertThat(task.resolve(null, null).hyperparameters().lrSchedule()).isEqualTo("constant");
        assertThat(task.resolve(null, null).hyperparameters().beta1()).isNull();

        // The catalog lists both recipes, each with the values it resolves to.
        TaskDescription described = catalog.describe().get(0);
        assertThat(described.recipes()).extracting(Recipe::name).containsExactly("seed", "fast");
        assertThat(described.recipes().get(1).hyperparameters()).isEqualTo(fast);
        assertThat(described.recipes().get(0).hyperparameters()).isEqualTo(task.resolve(null, null).hyperparameters());
        // conv 16·25+16, conv 32·16·9+32, 800·256+256, 256·10+10
        assertThat(ModelSummary.of(task, catalog.resolve("mnist", "fast", null, null)).totalParameters())
                .isEqualTo(416 + 4_640 + 205_056 + 2_570);
    }

    @Test
    void anUnknownRecipeOrAMisplacedSettingIsRefusedByName() {
        assertThatThrownBy(() -> catalog.resolve("mnist", "fastest", null, null))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.violations()).extracting(InvalidSpecException.Violation::field).containsExactly("recipe");
                    assertThat(e.violations().get(0).message()).contains("\"fastest\"", "seed", "fast");
                });
        Hyperparameters bad = new Hyperparameters(null, null, "sgd", null, "mse-onehot", null, null, null, null, null, null,
                null, null, "linear", 0.2, 0.7, 1.5, 0.1);
        assertThatThrownBy(() -> task.resolve(bad, null)).isInstanceOfSatisfying(InvalidSpecException.class, e ->
                assertThat(e.violations()).extracting(InvalidSpecException.Violation::field).containsExactlyInAnyOrder(
                        "hyperparameters.lrSchedule", "hyperparameters.beta1", "hyperparameters.beta2",
                        "hyperparameters.labelSmoothing"));
        Hyperparameters outOfRange = new Hyperparameters(null, null, "adam", null, null, null, null, null, null, null, null,
                null, null, "constant", 0.2, -0.1, 1.0, 0.6);
        assertThatThrownBy(() -> task.resolve(outOfRange, null)).isInstanceOfSatisfying(InvalidSpecException.class, e ->
                assertThat(e.violations()).extracting(InvalidSpecException.Violation::field).containsExactlyInAnyOrder(
                        "hyperparameters.warmupFraction", "hyperparameters.beta1", "hyperparameters.beta2",
                        "hyperparameters.labelSmoothing"));
    }

    @Test
    void theFastCnnLearnsDigitsAndItsCheckpointClassifiesAsTheEvaluationDid() {
        TrainingSpec spec = catalog.resolve("mnist", "fast", hp(2, 0L, 32, null, null), null);
        RecordingListener listener = new RecordingListener();

        TrainingResult result = task.train(spec, null, listener, List.of(Device.cpu()));

        assertThat(result.outcome()).isEqualTo(TrainingResult.Outcome.COMPLETED);
        // 2,000 training digits, 1,000 test digits: the seed's MiniCNN reaches about 0.9 here in 2 epochs.
        assertThat(listener.values("test_accuracy").get(1)).isGreaterThan(0.85);
        Evaluation evaluation = listener.evaluations.get(0);
        ImageSet test = SUBSET.load().test();
        long[][] confusion = new long[10][10];
        try (TrainedModel model = TrainedModel.load(task, spec, listener.checkpoints.get(1).bytes(), Device.cpu())) {
            float[] pixels = new float[test.size() * 784];
            for (int i = 0; i < test.size(); i++) {
                test.copyScaled(i, pixels, i * 784);
            }
            List<Classifier.Prediction> predictions = new Classifier(MnistTask.DIGITS).classify(model.forward(pixels, test.size()));
            for (int i = 0; i < test.size(); i++) {
                confusion[test.label(i)][predictions.get(i).classIndex()]++;
            }
        }
        assertThat(confusion).isDeepEqualTo(evaluation.confusion());
    }

    @Test
    void aOneCycleRunStoppedMidScheduleResumesExactly() {
        // 2 epochs of 8 batches: the one-cycle peak is at step 4, so epoch 2 runs down the schedule.
        TrainingSpec spec = catalog.resolve("mnist", "fast", hp(2, 3L, 32, 256, 1), null);
        RecordingListener whole = new RecordingListener();
        task.train(spec, null, whole, List.of(Device.cpu()));

        RecordingListener first = new RecordingListener();
        first.gracefully = true;
        first.stopAfterMetrics = 8 + 4 + 3; // epoch 1 (8 steps, 4 epoch metrics), then 3 of epoch 2's batches
        TrainingResult stopped = task.train(spec, null, first, List.of(Device.cpu()));
        assertThat(stopped).isEqualTo(new TrainingResult(TrainingResult.Outcome.STOPPED, 1, 11));
        RecordingListener.Saved midEpoch = first.checkpoints.get(first.checkpoints.size() - 1);
        assertThat(midEpoch.step()).isEqualTo(11);

        RecordingListener second = new RecordingListener();
        TrainingResult resumed = task.train(spec, midEpoch.bytes(), second, List.of(Device.cpu()));

        assertThat(resumed).isEqualTo(new TrainingResult(TrainingResult.Outcome.COMPLETED, 2, 16));
        assertThat(second.metrics.get(0).step()).isEqualTo(12);
        assertThat(MnistTaskTest.withoutTimings(second.metrics)).isEqualTo(MnistTaskTest.withoutTimings(whole.metrics.subList(15, 24)));
        assertThat(second.evaluations.get(0).confusion()).isDeepEqualTo(whole.evaluations.get(0).confusion());
    }
}
