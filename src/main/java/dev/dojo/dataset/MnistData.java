package dev.dojo.dataset;

/** One loaded MNIST-style data set: its training and test images, held once per process. */
public record MnistData(String dataset, ImageSet train, ImageSet test) {}
