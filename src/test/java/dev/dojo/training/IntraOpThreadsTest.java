package dev.dojo.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Small sine jobs train on one libtorch thread, large ones on all, and neither changes the count
 * of any other thread; a single-instance prediction runs on one thread and restores the count. Runs in a JVM of its own with libtorch's default count (see the pom).
 */
class IntraOpThreadsTest {

    private final SineRegressionTask task = new SineRegressionTask();

    private static void needsCores() {
        assumeTrue(IntraOpThreads.defaultCount() >= 2,
                "libtorch starts with " + IntraOpThreads.defaultCount() + " thread(s) here; this test needs 2 or more");
    }

    /** Records the training thread's libtorch thread count at each step's train_loss. */
    private static final class Counting extends RecordingListener {
        final List<Integer> threads = new ArrayList<>();

        @Override
        public void onMetric(int epoch, long step, String name, double value) {
            super.onMetric(epoch, step, name, value);
            if (name.equals("train_loss")) {
                threads.add(JniUtils.getNumThreads());
            }
        }
    }

    private TrainingSpec spec(int samples, int units) {
        return task.resolve(new Hyperparameters(5, null, null, null, null, List.of(units), null, 1L, null, null, null, null, null, null, null, null, null, null),
                new DataSpec(samples, 0.2));
    }

    @Test
    void theSeedsSmallNetworkTrainsOnOneThreadAndALargeOneOnAll() {
        needsCores();
        int all = IntraOpThreads.defaultCount();
        assertThat(JniUtils.getNumThreads()).isEqualTo(all);

        Counting small = new Counting();
        task.train(task.resolve(null, null), null, small, List.of(Device.cpu()));
        assertThat(small.threads).hasSize(500).containsOnly(1);
        assertThat(JniUtils.getNumThreads()).as("restored after the job").isEqualTo(all);

        Counting large = new Counting();
        task.train(spec(1024, 1024), null, large, List.of(Device.cpu()));
        assertThat(large.threads).hasSize(5).containsOnly(all);
    }

    @Test
    void aModelRunOnAnotherThreadDuringASmallJobUsesAllThreads() throws Exception {
        needsCores();
        int all = IntraOpThreads.defaultCount();
        TrainingSpec spec = task.resolve(null, null);
        RecordingListener first = new RecordingListener();
        task.train(task.resolve(new Hyperparameters(1, null, null, null, null, null, null, 0L, null, null, null, null, null, null, null, null, null, null), null),
                null, first, List.of(Device.cpu()));
        byte[] checkpoint = first.checkpoints.get(0).bytes();

        AtomicInteger seenByPrediction = new AtomicInteger();
        RecordingListener during = new RecordingListener() {
            @Override
            public void onMetric(int epoch, long step, String name, double value) {
                super.onMetric(epoch, step, name, value);
                if (epoch == 10) {
                    // A thread that never ran libtorch before: it would inherit the 1 this job set.
                    Thread t = new Thread(() -> {
                        try (TrainedModel model = TrainedModel.load(task, spec, checkpoint, Device.cpu())) {
                            model.forward(new float[] {0.5f, -0.5f}, 2);
                            seenByPrediction.set(JniUtils.getNumThreads());
                        }
                    });
                    t.start();
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        task.train(spec, null, during, List.of(Device.cpu()));
        assertThat(seenByPrediction.get()).isEqualTo(all);
    }

    @Test
    void aSingleInstanceRunsOnOneThreadAndLeavesTheCountAsItWas() {
        needsCores();
        int all = IntraOpThreads.defaultCount();
        TrainingSpec spec = task.resolve(null, null);
        try (TrainedModel model = TrainedModel.untrained(task, spec, Device.cpu())) {
            float[] xs = {-0.7f, 0.1f, 0.9f};
            float[][] batch = model.forward(xs, xs.length);
            for (int i = 0; i < xs.length; i++) {
                float[][] one = model.forward(new float[] {xs[i]}, 1);
                assertThat(one[0][0]).as("instance " + i + " alone, as in the batch").isCloseTo(batch[i][0], org.assertj.core.data.Offset.offset(1e-6f));
                assertThat(JniUtils.getNumThreads()).as("restored after a single-instance forward").isEqualTo(all);
            }
        }
    }
}
