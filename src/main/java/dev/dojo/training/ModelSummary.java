package dev.dojo.training;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/** What the seed prints of a model: its layers, each parameter's name and shape, and the total. */
public record ModelSummary(String task, List<String> layers, List<ParameterShape> parameters, long totalParameters) {

    /** One learnable tensor: DJL's name, its shape and size, and its name in the seed's PyTorch module. */
    public record ParameterShape(String name, List<Long> shape, long count, String pytorchName) {}

    /** Builds the spec's network on the CPU just long enough to read its parameter shapes. */
    public static ModelSummary of(TrainingTask task, TrainingSpec spec) {
        Network network = task.network(spec);
        try (NDManager manager = NDManager.newBaseManager()) {
            network.block().initialize(manager, DataType.FLOAT32, network.inputShape());
            List<ParameterShape> parameters = new ArrayList<>();
            long total = 0;
            List<String> pytorch = network.torch() == null ? null : TorchExport.names(network);
            for (Pair<String, Parameter> p : network.block().getParameters()) {
                long[] dims = p.getValue().getArray().getShape().getShape();
                List<Long> shape = new ArrayList<>();
                long count = 1;
                for (long d : dims) {
                    shape.add(d);
                    count *= d;
                }
                parameters.add(new ParameterShape(p.getKey(), shape, count, pytorch == null ? null : pytorch.get(parameters.size())));
                total += count;
            }
            return new ModelSummary(task.name(), network.layers(), parameters, total);
        }
    }
}
