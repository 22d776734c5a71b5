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

/** Builds the networks: the seed lesson's wide MLP and MiniCNN, and the fast recipe's CNN. */
public final class Networks {

    /** The seed's PyTorch class of an MLP. */
    public static final String WIDE_NET = "WideNet";
    /** The seed's PyTorch class of the CNN. */
    public static final String MINI_CNN = "MiniCNN";
    /** The fast recipe's network, as the published recipe's PyTorch module names it. */
    public static final String FAST_CNN = "FastCNN";

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
        // The seed's WideNet: layers = nn.Sequential(Linear, activation, …, Linear), so Linear k is layers.{2k}.
        List<String> torch = new ArrayList<>();
        for (int units : hidden) {
            torch.add("layers." + 2 * torch.size());
            block.add(Linear.builder().setUnits(units).build());
            layers.add(linear(in, units));
            block.add(activation(activation));
            layers.add(activationName(activation) + "()");
            in = units;
        }
        torch.add("layers." + 2 * torch.size());
        block.add(Linear.builder().setUnits(outputs).build());
        layers.add(linear(in, outputs));
        return new Network(block, inputShape, List.copyOf(layers), new Network.TorchLayout(WIDE_NET, List.copyOf(torch)));
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
        return new Network(block, new Shape(1, 1, 28, 28), layers,
                new Network.TorchLayout(MINI_CNN, List.of("conv1", "conv2", "fc1", "fc2")));
    }

    /** MNIST's pixel mean and standard deviation, which {@link #fastCnn} normalises its input by. */
    static final float MNIST_MEAN = 0.1307f;
    static final float MNIST_STD = 0.3081f;

    /**
     * Filters of the fast-cnn's first convolution: 16 where the published recipe has 24. libtorch
     * 2.7.1's CPU convolution reads memory it never wrote when its input has a channel count above 16
     * that is not a multiple of 16 (20, 24 and 40 seen; {@code bench/conv-channels.sh} shows it on one
     * convolution): with Dojo's allocator tuning, which hands freed memory to the next allocation, the
     * second convolution's output was NaN from the first step. 16 and 32 never were; 16 costs the
     * two convolutions about half the arithmetic of 32 and reached the same accuracy over seeds 0–4
     * (docs/performance.md).
     */
    static final int CONV1_FILTERS = 16;

    /**
     * The fast recipe's network (after the "99% on MNIST in 0.76 s" one): normalise, conv 1→16 5×5,
     * max-pool 2, relu, conv 16→32 3×3, max-pool 2, relu, flatten, 800→256, relu, 256→10. It takes the
     * same [0, 1] pixels as every other model and normalises them itself, so predictions need nothing new.
     */
    public static Network fastCnn() {
        SequentialBlock block = new SequentialBlock()
                .add(x -> new NDList(x.singletonOrThrow().sub(MNIST_MEAN).div(MNIST_STD)))
                .add(Conv2d.builder().setFilters(CONV1_FILTERS).setKernelShape(new Shape(5, 5)).build())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Activation::relu)
                .add(Conv2d.builder().setFilters(32).setKernelShape(new Shape(3, 3)).build())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Activation::relu)
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(256).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
        List<String> layers = List.of(
                "Normalize(mean=" + MNIST_MEAN + ", std=" + MNIST_STD + ")",
                "Conv2d(1, " + CONV1_FILTERS + ", kernel_size=(5, 5), stride=(1, 1))",
                "MaxPool2d(kernel_size=2, stride=2)",
                "ReLU()",
                "Conv2d(" + CONV1_FILTERS + ", 32, kernel_size=(3, 3), stride=(1, 1))",
                "MaxPool2d(kernel_size=2, stride=2)",
                "ReLU()",
                "Flatten(start_dim=1, end_dim=-1)",
                linear(800, 256),
                "ReLU()",
                linear(256, 10));
        // The peer's Fast module (shared/peers/fast99.py) names its layers so; its conv1 has 24 filters,
        // this one CONV1_FILTERS, and it normalises outside the module, so the export loads into a Fast
        // whose conv1 is widened to match and fed normalised images.
        return new Network(block, new Shape(1, 1, 28, 28), layers, new Network.TorchLayout(FAST_CNN, List.of("conv1", "conv2", "fc1", "fc2")));
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
