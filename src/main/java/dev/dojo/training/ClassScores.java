package dev.dojo.training;

import java.util.List;

/** A classifier's answer for one instance: the label (a digit, or a class name) and every class's probability. */
public record ClassScores(Object label, List<Double> probabilities) {}
