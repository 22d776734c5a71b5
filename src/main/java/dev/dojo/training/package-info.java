/**
 * Pure DJL training: task definitions and their defaults (sine regression, MNIST-style image
 * classification), networks, losses, optimizers with exportable state, the epoch loops, evaluation
 * of classifiers and the checkpoint codec. Knows nothing of Spring, JPA or HTTP.
 */
package dev.dojo.training;
