package dev.dojo.training;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/** What the seed prints of a model: its layers, each parameter's name and shape, and the total. */
public record ModelSummary(String task, List<String> layers, List<ParameterShape> parameters, long totalParameters) {

    /** One learnable tensor. */
    public record ParameterShape(String name, List<Long> shape, long count) {}

    /** Builds the spec's network on the CPU just long enough to read its parameter shapes. */
    public static ModelSummary of(TrainingTask task, TrainingSpec spec) {
        Network network = task.network(spec);
        try (NDManager manager = NDManager.newBaseManager()) {
            network.block().initialize(manager, DataType.FLOAT32, network.inputShape());
            List<ParameterShape> parameters = new ArrayList<>();
            long total = 0;
            for (Pair<String, Parameter> p : network.block().getParameters()) {
                long[] dims = p.getValue().getArray().getShape().getShape();
                List<Long> shape = new ArrayList<>();
                long count = 1;
                for (long d : dims) {
                    shape.add(d);
                    count *= d;
                }
                parameters.add(new ParameterShape(p.getKey(), shape, count));
                total += count;
            }
            return new ModelSummary(task.name(), network.layers(), parameters, total);
        }
    }
}
