package dev.dojo.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The learning-rate schedules step by step against reference sequences written out here from their
 * definitions (PyTorch's OneCycleLR documentation; linear warm-up then half a cosine), and the
 * optimizer really stepping by them.
 */
class LearningRateScheduleTest {

    @Test
    void oneCycleFollowsPyTorchsOneCycleLrStepByStep() {
        double peak = 0.01;
        int total = 235; // one epoch of 60,000 images in batches of 256, the fast recipe
        double pct = 0.3;
        LearningRateSchedule schedule = new LearningRateSchedule("onecycle", peak, pct, total);
        double initial = peak / 25;
        double min = initial / 1e4;
        double phase1End = pct * total - 1; // 69.5: OneCycleLR's float end_step
        for (int s = 0; s < total; s++) {
            double expected;
            if (s <= phase1End) {
                double t = s / phase1End;
                expected = peak + (initial - peak) / 2 * (Math.cos(Math.PI * t) + 1);
            } else {
                double t = (s - phase1End) / (total - 1 - phase1End);
                expected = min + (peak - min) / 2 * (Math.cos(Math.PI * t) + 1);
            }
            assertThat(schedule.at(s)).as("step %d", s).isCloseTo(expected, offset(1e-15));
        }
        assertThat(schedule.at(0)).isCloseTo(0.0004, offset(1e-15));
        assertThat(schedule.at(total - 1)).isCloseTo(4e-8, offset(1e-18));
        // The peak falls between steps 69 and 70, each a hair below it; nothing exceeds it.
        for (int s = 0; s < total; s++) {
            assertThat(schedule.at(s)).isLessThanOrEqualTo(peak);
        }
        assertThat(schedule.at(69)).isGreaterThan(0.99 * peak);
        assertThat(schedule.at(70)).isGreaterThan(0.99 * peak);
        // Past the planned end the last rate holds.
        assertThat(schedule.at(total + 5)).isEqualTo(schedule.at(total - 1));
    }

    @Test
    void cosineWarmsUpLinearlyThenDecaysToZero() {
        double peak = 0.1;
        int total = 100;
        LearningRateSchedule schedule = new LearningRateSchedule("cosine", peak, 0.1, total);
        for (int s = 0; s < 10; s++) {
            assertThat(schedule.at(s)).as("warm-up step %d", s).isCloseTo(peak * (s + 1) / 10.0, offset(1e-15));
        }
        for (int s = 10; s < total; s++) {
            double expected = peak * (1 + Math.cos(Math.PI * (s - 10) / 90.0)) / 2;
            assertThat(schedule.at(s)).as("step %d", s).isCloseTo(expected, offset(1e-15));
        }
        assertThat(schedule.at(10)).isEqualTo(peak);
        LearningRateSchedule noWarmUp = new LearningRateSchedule("cosine", peak, 0.0, total);
        assertThat(noWarmUp.at(0)).isEqualTo(peak);
        assertThat(noWarmUp.at(50)).isCloseTo(peak / 2, offset(1e-15));
    }

    @Test
    void constantIsTheLearningRateAtEveryStep() {
        LearningRateSchedule schedule = new LearningRateSchedule("constant", 0.05, null, 10);
        for (int s = 0; s < 12; s++) {
            assertThat(schedule.at(s)).isEqualTo(0.05);
        }
    }

    /** Plain SGD on the loss sum(w): each step lowers every weight by exactly that step's learning rate. */
    @Test
    void theUpdaterStepsByTheScheduleAndResumesItFromTheStepCount() {
        LearningRateSchedule schedule = new LearningRateSchedule("onecycle", 0.5, 0.3, 10);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray w = manager.zeros(new ai.djl.ndarray.types.Shape(3));
            w.setRequiresGradient(true);
            ParameterUpdater updater = new ParameterUpdater("sgd", schedule, 0, 0.9, 0.999, List.of(w), manager);
            double expected = 0;
            for (int s = 0; s < 6; s++) {
                step(manager, updater, w);
                expected -= schedule.at(s);
                assertThat(w.toFloatArray()[0]).as("after step %d", s).isCloseTo((float) expected, offset(1e-6f));
            }
            // A fresh updater restored to step 6 (as from a checkpoint) continues with step 6's rate.
            ParameterUpdater resumed = new ParameterUpdater("sgd", schedule, 0, 0.9, 0.999, List.of(w), manager);
            resumed.restore(new ai.djl.ndarray.NDList(), 6);
            step(manager, resumed, w);
            expected -= schedule.at(6);
            assertThat(w.toFloatArray()[0]).isCloseTo((float) expected, offset(1e-6f));
        }
    }

    private static void step(NDManager manager, ParameterUpdater updater, NDArray w) {
        try (NDManager scope = manager.newSubManager()) {
            Autograd.enable(true);
            NDArray loss = w.sum();
            Autograd.backward(loss);
            Autograd.enable(false);
            updater.step(scope);
        }
    }
}
