package dev.dojo.training;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;

/** A block together with a PyTorch-style description of its layers, for the model summary. */
public record Network(Block block, Shape inputShape, List<String> layers) {}
