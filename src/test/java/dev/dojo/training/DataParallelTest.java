package dev.dojo.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.dojo.dataset.MnistFiles;
import dev.dojo.dataset.Subset;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Data-parallel training over k devices gives the run one device gives, up to float rounding. This
 * machine has no GPU, so the k "devices" here are k replicas on the CPU: every line of the
 * data-parallel path runs (the split into shards, a replica per device, the weighted losses, the
 * gradient sum, one update, the copy back); on a GPU node the replicas sit on gpu:0 … gpu:k-1.
 */
class DataParallelTest {

    private static final MnistFiles SUBSET = MnistFiles.unpinned("MNIST subset", Subset.directory());

    private final SineRegressionTask sine = new SineRegressionTask();

    private static List<Device> cpus(int k) {
        return Collections.nCopies(k, Device.cpu());
    }

    private static void assertSameRun(List<Double> expected, List<Double> actual, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("loss %d", i).isCloseTo(expected.get(i), org.assertj.core.data.Offset.offset(tolerance));
        }
    }

    @Test
    void sineOverTwoAndThreeReplicasFollowsTheOneDeviceRun() {
        // Plain SGD: unlike Adam, it would show a gradient of the wrong scale.
        TrainingSpec spec = sine.resolve(new Hyperparameters(80, 0.05, "sgd", null, null, List.of(64), null, 4L,
                null, null, null, null, null, null, null, null, null, null), null);
        RecordingListener one = new RecordingListener();
        sine.train(spec, null, one, List.of(Device.cpu()));
        for (int k : new int[] {2, 3}) {
            // 64 samples over 3 replicas is 21, 21 and 22: the losses must be weighted by shard size.
            RecordingListener many = new RecordingListener();
            TrainingResult result = sine.train(spec, null, many, cpus(k));
            assertThat(result.outcome()).isEqualTo(TrainingResult.Outcome.COMPLETED);
            assertSameRun(one.values("train_loss"), many.values("train_loss"), 1e-4);
        }
        assertThat(one.values("train_loss").get(79)).isLessThan(one.values("train_loss").get(0) / 2);
    }

    @Test
    void aDataParallelRunResumesFromItsCheckpointWithTheSameLosses() {
        TrainingSpec spec = sine.resolve(new Hyperparameters(40, 1e-2, null, null, null, List.of(32), null, 9L,
                null, null, null, null, 20, null, null, null, null, null), null);
        RecordingListener straight = new RecordingListener();
        sine.train(spec, null, straight, cpus(2));
        byte[] halfway = straight.checkpoints.get(0).bytes();

        RecordingListener resumed = new RecordingListener();
        sine.train(spec, halfway, resumed, cpus(2));
        assertSameRun(straight.values("train_loss").subList(20, 40), resumed.values("train_loss"), 1e-6);
    }

    @Test
    void theMiniCnnOverTwoReplicasFollowsTheOneDeviceRun() {
        MnistTask mnist = MnistTask.mnist(SUBSET);
        TrainingSpec spec = mnist.resolve(new Hyperparameters(1, null, null, null, null, null, null, 2L,
                null, 64, 640, 1, null, null, null, null, null, null), null);
        RecordingListener one = new RecordingListener();
        mnist.train(spec, null, one, List.of(Device.cpu()));
        RecordingListener two = new RecordingListener();
        mnist.train(spec, null, two, cpus(2));
        assertThat(one.values("train_loss")).hasSize(10);
        assertSameRun(one.values("train_loss"), two.values("train_loss"), 1e-3);
        assertThat(two.values("test_accuracy").get(0)).isCloseTo(one.values("test_accuracy").get(0),
                org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aBatchSmallerThanTheDeviceCountIsRefused() {
        TrainingSpec spec = sine.resolve(new Hyperparameters(2, null, null, null, null, List.of(4), null, 1L,
                null, null, null, null, null, null, null, null, null, null), new DataSpec(2, 0.2));
        assertThatThrownBy(() -> sine.train(spec, null, new RecordingListener(), cpus(3)))
                .hasMessageContaining("cannot be split over 3 devices");
    }
}
