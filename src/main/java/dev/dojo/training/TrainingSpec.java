package dev.dojo.training;

/** A fully resolved spec: what a worker trains, with every default filled in. */
public record TrainingSpec(String task, Hyperparameters hyperparameters, DataSpec data) {}
