package dev.dojo.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Builds the seed lesson's networks: the wide MLP and the MiniCNN. */
public final class Networks {

    private Networks() {}

    /** An MLP: {@code inputs → hidden[0] → … → outputs}, with the activation after each hidden layer. */
    public static Network mlp(int inputs, List<Integer> hidden, String activation, int outputs, Shape inputShape, boolean flatten) {
        SequentialBlock block = new SequentialBlock();
        List<String> layers = new ArrayList<>();
        if (flatten) {
            block.add(Blocks.batchFlattenBlock());
            layers.add("Flatten(start_dim=1, end_dim=-1)");
        }
        int in = inputs;
        for (int units : hidden) {
            block.add(Linear.builder().setUnits(units).build());
            layers.add(linear(in, units));
            block.add(activation(activation));
            layers.add(activationName(activation) + "()");
            in = units;
        }
        block.add(Linear.builder().setUnits(outputs).build());
        layers.add(linear(in, outputs));
        return new Network(block, inputShape, List.copyOf(layers));
    }

    /** The seed's MiniCNN: conv 1→32 3×3, relu, conv 32→64 3×3, relu, maxpool 2, flatten, 9216→128, relu, 128→10. */
    public static Network miniCnn() {
        SequentialBlock block = new SequentialBlock()
                .add(Conv2d.builder().setFilters(32).setKernelShape(new Shape(3, 3)).build())
                .add(Activation::relu)
                .add(Conv2d.builder().setFilters(64).setKernelShape(new Shape(3, 3)).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
        List<String> layers = List.of(
                "Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))",
                "ReLU()",
                "Conv2d(32, 64, kernel_size=(3, 3), stride=(1, 1))",
                "ReLU()",
                "MaxPool2d(kernel_size=2, stride=2)",
                "Flatten(start_dim=1, end_dim=-1)",
                linear(9216, 128),
                "ReLU()",
                linear(128, 10));
        return new Network(block, new Shape(1, 1, 28, 28), layers);
    }

    private static String linear(int in, int out) {
        return "Linear(in_features=" + in + ", out_features=" + out + ", bias=True)";
    }

    private static Function<NDList, NDList> activation(String name) {
        return switch (name) {
            case "tanh" -> Activation::tanh;
            case "relu" -> Activation::relu;
            case "sigmoid" -> Activation::sigmoid;
            default -> throw new IllegalArgumentException("unknown activation " + name);
        };
    }

    private static String activationName(String name) {
        return switch (name) {
            case "tanh" -> "Tanh";
            case "relu" -> "ReLU";
            case "sigmoid" -> "Sigmoid";
            default -> name;
        };
    }
}
