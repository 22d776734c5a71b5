/**
 * Pure DJL training: task definitions and their defaults, networks, losses, optimizers with
 * exportable state, the epoch loop and the checkpoint codec. Knows nothing of Spring, JPA or HTTP.
 */
package dev.dojo.training;
