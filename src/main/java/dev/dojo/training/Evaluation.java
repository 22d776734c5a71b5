package dev.dojo.training;

import java.util.ArrayList;
import java.util.List;

/**
 * A classifier's scores on a test set after {@code epoch}: the confusion matrix (rows are the true
 * classes, columns the predicted ones), overall accuracy and each class's accuracy (recall), which is
 * null for a class the test set lacks. Plain lists and arrays, so it serialises as JSON as it is.
 */
public record Evaluation(
        int epoch, List<String> classes, long[][] confusion, long examples, double accuracy, List<Double> perClassAccuracy) {

    /** Derives the accuracies from a confusion matrix. */
    public static Evaluation of(int epoch, List<String> classes, long[][] confusion) {
        long total = 0;
        long correct = 0;
        List<Double> perClass = new ArrayList<>();
        for (int t = 0; t < confusion.length; t++) {
            long row = 0;
            for (long count : confusion[t]) {
                row += count;
            }
            total += row;
            correct += confusion[t][t];
            perClass.add(row == 0 ? null : (double) confusion[t][t] / row);
        }
        return new Evaluation(epoch, List.copyOf(classes), confusion, total,
                total == 0 ? 0 : (double) correct / total, java.util.Collections.unmodifiableList(perClass));
    }
}
