package dev.dojo.training;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a classifier's raw outputs (logits) into softmax probabilities and a label. A class named by
 * digits only (MNIST's "0" to "9") is labelled with that number; any other by its name.
 */
public final class Classifier {

    /** One instance's prediction: the label, its class index and probability, and every class's probability. */
    public record Prediction(Object label, int classIndex, double probability, List<Double> probabilities) {}

    private final List<String> classes;

    public Classifier(List<String> classes) {
        this.classes = List.copyOf(classes);
    }

    public List<String> classes() {
        return classes;
    }

    /** Softmax, computed stably in double precision. */
    public static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Index of the largest output; the first one on a tie, as argmax does. */
    public static int argMax(float[] outputs) {
        int best = 0;
        for (int i = 1; i < outputs.length; i++) {
            if (outputs[i] > outputs[best]) {
                best = i;
            }
        }
        return best;
    }

    public Prediction classify(float[] logits) {
        if (logits.length != classes.size()) {
            throw new IllegalArgumentException("expected " + classes.size() + " outputs, got " + logits.length);
        }
        double[] p = softmax(logits);
        int best = argMax(logits);
        List<Double> probabilities = new ArrayList<>(p.length);
        for (double v : p) {
            probabilities.add(v);
        }
        return new Prediction(label(best), best, p[best], List.copyOf(probabilities));
    }

    public List<Prediction> classify(float[][] outputs) {
        List<Prediction> predictions = new ArrayList<>(outputs.length);
        for (float[] row : outputs) {
            predictions.add(classify(row));
        }
        return predictions;
    }

    /** The label of a class: its number when the name is all digits, else its name. */
    public Object label(int classIndex) {
        String name = classes.get(classIndex);
        return name.chars().allMatch(Character::isDigit) && !name.isEmpty() ? (Object) Integer.valueOf(name) : name;
    }
}
