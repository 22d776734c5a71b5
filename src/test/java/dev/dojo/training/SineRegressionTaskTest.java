package dev.dojo.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.dojo.dataset.SineData;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SineRegressionTaskTest {

    private final SineRegressionTask task = new SineRegressionTask();

    private TrainingSpec seedSpec() {
        return task.resolve(null, null);
    }

    @Test
    void seedJobFitsTheCurve() {
        RecordingListener listener = new RecordingListener();
        TrainingSpec spec = seedSpec();

        TrainingResult result = task.train(spec, null, listener, List.of(Device.cpu()));

        assertThat(result.outcome()).isEqualTo(TrainingResult.Outcome.COMPLETED);
        List<Double> losses = listener.values("train_loss");
        assertThat(losses).hasSize(500);
        assertThat(losses.get(499)).isLessThanOrEqualTo(0.06);
        assertThat(losses.get(499)).isLessThan(losses.get(0));
        assertThat(listener.checkpoints).extracting(RecordingListener.Saved::epoch)
                .containsExactly(50, 100, 150, 200, 250, 300, 350, 400, 450, 500);

        byte[] last = listener.checkpoints.get(9).bytes();
        try (TrainedModel model = TrainedModel.load(task, spec, last, Device.cpu())) {
            float[] xs = new float[37];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = -0.9f + 0.05f * i;
            }
            float[][] out = model.forward(xs, xs.length);
            for (int i = 0; i < xs.length; i++) {
                assertThat((double) out[i][0]).as("prediction at x=%s", xs[i])
                        .isCloseTo(Math.sin(SineData.FREQUENCY * xs[i]), org.assertj.core.data.Offset.offset(0.2));
            }

            // fit_mse at each checkpoint: the final one is the checkpoint's own error against the clean curve.
            List<Double> fit = listener.values("fit_mse");
            assertThat(fit).hasSize(10);
            float[] inputs = SineData.generate(spec.data().samples(), spec.data().noise(), spec.hyperparameters().seed()).inputs();
            float[][] fitted = model.forward(inputs, inputs.length);
            double sum = 0;
            for (int i = 0; i < inputs.length; i++) {
                double d = fitted[i][0] - Math.sin(SineData.FREQUENCY * inputs[i]);
                sum += d * d;
            }
            assertThat(fit.get(9)).isCloseTo(sum / inputs.length, org.assertj.core.data.Offset.offset(1e-5));
            assertThat(fit.get(9)).isLessThan(fit.get(0)).isLessThan(0.05);
        }
    }

    @Test
    void sameSeedGivesIdenticalMetricsAndAnotherSeedDoesNot() {
        TrainingSpec spec = task.resolve(new Hyperparameters(60, null, null, null, null, null, null, 7L, null, null, null, null, null, null, null, null, null, null), null);
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        RecordingListener c = new RecordingListener();
        task.train(spec, null, a, List.of(Device.cpu()));
        task.train(spec, null, b, List.of(Device.cpu()));
        TrainingSpec other = task.resolve(new Hyperparameters(60, null, null, null, null, null, null, 8L, null, null, null, null, null, null, null, null, null, null), null);
        task.train(other, null, c, List.of(Device.cpu()));

        assertThat(a.metrics).isEqualTo(b.metrics);
        assertThat(a.values("train_loss")).isNotEqualTo(c.values("train_loss"));
    }

    @Test
    void resumedRunEndsExactlyWhereAnUninterruptedOneDoes() {
        TrainingSpec spec = task.resolve(new Hyperparameters(100, null, null, null, null, List.of(64, 64), "relu", 3L, null, null, null, null, 25, null, null, null, null, null), null);
        RecordingListener whole = new RecordingListener();
        task.train(spec, null, whole, List.of(Device.cpu()));

        RecordingListener first = new RecordingListener();
        first.stopAfterMetrics = 60;
        TrainingResult stopped = task.train(spec, null, first, List.of(Device.cpu()));
        assertThat(stopped.outcome()).isEqualTo(TrainingResult.Outcome.STOPPED);
        RecordingListener.Saved resumeFrom = first.checkpoints.get(first.checkpoints.size() - 1);
        assertThat(resumeFrom.epoch()).isEqualTo(50);

        RecordingListener second = new RecordingListener();
        task.train(spec, resumeFrom.bytes(), second, List.of(Device.cpu()));

        assertThat(second.metrics.get(0).epoch()).isEqualTo(51);
        assertThat(second.metrics.get(0).step()).isEqualTo(51);
        assertThat(second.metrics).isEqualTo(whole.metrics.stream().filter(p -> p.epoch() > 50).toList());
        assertThat(second.values("fit_mse")).hasSize(2);
    }

    @Test
    void sgdWithMomentumAndL1AlsoLearn() {
        TrainingSpec spec = task.resolve(new Hyperparameters(300, 0.05, "sgd", 0.9, "l1", List.of(64), "tanh", 1L, null, null, null, null, null, null, null, null, null, null), null);
        RecordingListener listener = new RecordingListener();
        task.train(spec, null, listener, List.of(Device.cpu()));
        List<Double> losses = listener.values("train_loss");
        assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) * 0.6);
    }

    @Test
    void checkpointParametersLoadIntoPlainDjlBlock() throws IOException, MalformedModelException {
        TrainingSpec spec = task.resolve(new Hyperparameters(10, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null), null);
        RecordingListener listener = new RecordingListener();
        task.train(spec, null, listener, List.of(Device.cpu()));
        CheckpointCodec.Contents contents = CheckpointCodec.decode(listener.checkpoints.get(listener.checkpoints.size() - 1).bytes());
        assertThat(contents.meta().getProperty("format")).isEqualTo(CheckpointCodec.FORMAT);
        assertThat(contents.epoch()).isEqualTo(10);

        var block = new ai.djl.nn.SequentialBlock()
                .add(ai.djl.nn.core.Linear.builder().setUnits(512).build())
                .add(ai.djl.nn.Activation::tanh)
                .add(ai.djl.nn.core.Linear.builder().setUnits(1).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 1));
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(contents.parameters())));
            assertThat(block.getParameters().get(0).getValue().getArray().getShape().getShape()).containsExactly(512, 1);
        }
    }

    @Test
    void refusesBadFieldsByName() {
        assertThatThrownBy(() -> task.resolve(new Hyperparameters(1_000_000_000, Double.NaN, "rmsprop", null, null, List.of(10_000_000), null, null, 128 == 0 ? null : "x", null, null, null, null, null, null, null, null, null), new DataSpec(-1, null)))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .extracting(InvalidSpecException.Violation::field)
                        .contains("hyperparameters.epochs", "hyperparameters.learningRate", "hyperparameters.optimizer",
                                "hyperparameters.hiddenUnits[0]", "hyperparameters.model", "data.samples"));
    }
}
