/**
 * Pure DJL training: task definitions, their defaults and recipes (named sets of defaults; sine
 * regression, MNIST-style image classification), networks, losses, optimizers with exportable state
 * and learning-rate schedules, the epoch loops, evaluation of classifiers and the checkpoint codec.
 * Knows nothing of Spring, JPA or HTTP.
 */
package dev.dojo.training;
