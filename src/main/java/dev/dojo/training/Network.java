package dev.dojo.training;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;

/**
 * A block together with a PyTorch-style description of its layers, for the model summary, and how
 * the seed lesson's own PyTorch module names its weighted layers, for the export.
 */
public record Network(Block block, Shape inputShape, List<String> layers, TorchLayout torch) {

    /**
     * The seed's PyTorch module this network is: its class name, and the state_dict prefix of each
     * weighted layer (Linear, Conv2d) in the block's order; each has a {@code .weight} and a {@code .bias}.
     */
    public record TorchLayout(String module, List<String> weightedLayers) {}
}
