package dev.dojo.training;

/**
 * What a curve-fitting task's fit plot shows: its training points, what they are, and the range of x
 * over which to draw the network's curve.
 */
public record FitData(double[] x, double[] y, String description, double xMin, double xMax) {}
