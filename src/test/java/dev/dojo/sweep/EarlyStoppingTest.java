package dev.dojo.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.metric.MetricPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two rules as pure functions of objective histories (one point per epoch, step = epoch, as the sine task records). */
class EarlyStoppingTest {

    private static final Plan.Objective LOSS = new Plan.Objective("train_loss", "min", null);

    @Test
    void medianStopsOnlyATrialWorseThanTheOthersPastMinSteps() {
        Plan.Rule rule = new Plan.Rule("median", 10, 3, 0, 0);
        Map<Integer, List<MetricPoint>> all = Map.of(1, flat(20, 0.1), 2, flat(20, 0.2), 3, flat(12, 0.9));
        EarlyStopping.Stop stop = EarlyStopping.median(rule, LOSS, new EarlyStopping.Candidate(3, all.get(3), -1, 20), all);
        assertThat(stop).isNotNull();
        assertThat(stop.rule()).isEqualTo("median");
        assertThat(stop.reason()).contains("at step 12").contains("median 0.15");
        assertThat(EarlyStopping.median(rule, LOSS, new EarlyStopping.Candidate(1, all.get(1), -1, 20), all)).as("the best").isNull();
        Map<Integer, List<MetricPoint>> early = Map.of(1, flat(20, 0.1), 2, flat(20, 0.2), 3, flat(8, 0.9));
        assertThat(EarlyStopping.median(rule, LOSS, new EarlyStopping.Candidate(3, early.get(3), -1, 20), early))
                .as("before minSteps").isNull();
        Map<Integer, List<MetricPoint>> alone = Map.of(1, flat(20, 0.1), 3, flat(12, 0.9));
        assertThat(EarlyStopping.median(rule, LOSS, new EarlyStopping.Candidate(3, alone.get(3), -1, 20), alone))
                .as("fewer than minTrials reached the step").isNull();
    }

    @Test
    void ashaKeepsTheBestThirdAtEachRungAndNeverRejudgesAPromotedTrial() {
        Plan.Rule rule = new Plan.Rule("asha", 0, 0, 3, 1);
        assertThat(List.of(EarlyStopping.rung(rule, 0), EarlyStopping.rung(rule, 1), EarlyStopping.rung(rule, 2))).containsExactly(1L, 3L, 9L);
        Map<Integer, List<MetricPoint>> all = Map.of(1, flat(9, 0.1), 2, flat(9, 0.2), 3, flat(3, 0.5));
        int[] promoted = {-1};
        EarlyStopping.Stop stop = EarlyStopping.asha(rule, LOSS, new EarlyStopping.Candidate(3, all.get(3), -1, 100), all, promoted);
        assertThat(stop).isNotNull();
        assertThat(stop.reason()).contains("rung 0 (epoch 1)").contains("best 1 of 3");
        // The first trial to reach each rung has nobody to lose to; once promoted, later rivals do not send it back.
        Map<Integer, List<MetricPoint>> first = Map.of(2, flat(9, 0.2));
        assertThat(EarlyStopping.asha(rule, LOSS, new EarlyStopping.Candidate(2, first.get(2), -1, 100), first, promoted)).isNull();
        assertThat(promoted[0]).isEqualTo(2);
        assertThat(EarlyStopping.asha(rule, LOSS, new EarlyStopping.Candidate(2, all.get(2), 2, 100), all, promoted)).isNull();
    }

    private static List<MetricPoint> flat(int epochs, double value) {
        List<MetricPoint> points = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            points.add(new MetricPoint("train_loss", e, e, value, Instant.EPOCH));
        }
        return points;
    }
}
