package dev.dojo.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassifierTest {

    @Test
    void softmaxIsStableAndSumsToOne() {
        double[] p = Classifier.softmax(new float[] {1000f, 1000f, 0f});
        assertThat(p[0]).isCloseTo(0.5, within(1e-12));
        assertThat(p[1]).isCloseTo(0.5, within(1e-12));
        assertThat(p[2]).isCloseTo(0.0, within(1e-12));
        // The seed's worked example: softmax of [1.95, -0.6, -0.3] is [0.8450, 0.0660, 0.0891].
        double[] q = Classifier.softmax(new float[] {1.95f, -0.6f, -0.3f});
        assertThat(q).containsExactly(new double[] {0.8450, 0.0660, 0.0891}, within(1e-4));
    }

    @Test
    void digitsAreLabelledAsNumbersAndClothesByName() {
        float[] logits = {0, 0, 0, 0, 0, 0, 0, 0, 0, 3};
        Classifier.Prediction digit = new Classifier(MnistTask.DIGITS).classify(logits);
        Classifier.Prediction clothes = new Classifier(MnistTask.FASHION_CLASSES).classify(logits);

        assertThat(digit.label()).isEqualTo(9);
        assertThat(digit.classIndex()).isEqualTo(9);
        assertThat(digit.probability()).isCloseTo(Math.exp(3) / (9 + Math.exp(3)), within(1e-12));
        assertThat(digit.probabilities()).hasSize(10);
        assertThat(clothes.label()).isEqualTo("Ankle boot");
    }

    @Test
    void evaluationDerivesAccuraciesAndLeavesAbsentClassesNull() {
        long[][] confusion = {{3, 1, 0}, {0, 0, 0}, {1, 0, 5}};
        Evaluation e = Evaluation.of(2, java.util.List.of("a", "b", "c"), confusion);
        assertThat(e.examples()).isEqualTo(10);
        assertThat(e.accuracy()).isEqualTo(0.8);
        assertThat(e.perClassAccuracy()).containsExactly(0.75, null, 5.0 / 6);
    }
}
