package dev.dojo.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A checkpoint's weights as a safetensors file (https://github.com/huggingface/safetensors) whose
 * tensor names are the state_dict keys of the seed lesson's own PyTorch module: {@code WideNet}'s
 * {@code layers.0.weight}, {@code layers.0.bias}, {@code layers.2.weight} … and {@code MiniCNN}'s
 * {@code conv1.weight} … {@code fc2.bias}. DJL's Linear and Conv2d keep their weights in PyTorch's
 * own layout ({@code [out, in]} and {@code [out, in, kh, kw]}), so only the names change.
 *
 * <p>The layout: 8 bytes, the header's length as a little-endian unsigned integer; the header, UTF-8
 * JSON {@code {name: {"dtype": "F32", "shape": […], "data_offsets": [begin, end]}, "__metadata__":
 * {string: string}}}, padded with spaces to a multiple of 8 bytes; then the tensors' raw
 * little-endian bytes back to back, each at its offsets from the start of that data.
 */
public final class TorchExport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One tensor: its PyTorch name, shape and float32 values. */
    public record Tensor(String name, long[] shape, float[] values) {}

    /**
     * A network's weights as the seed's module names them: the module's class, the shape of the input
     * its forward takes (batch first, as -1), and the tensors in the block's order.
     */
    public record Weights(String module, List<Long> inputShape, List<Tensor> tensors) {}

    private TorchExport() {}

    /** The checkpoint's parameters under the seed module's names, in the block's order. */
    public static Weights weights(TrainingTask task, TrainingSpec spec, byte[] checkpoint) {
        CheckpointCodec.Contents contents = CheckpointCodec.decode(checkpoint);
        Network network = task.network(spec);
        if (network.torch() == null) {
            throw new IllegalStateException("task " + task.name() + " has no PyTorch layout to export to");
        }
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            network.block().initialize(manager, DataType.FLOAT32, network.inputShape());
            network.block().loadParameters(manager, new DataInputStream(new ByteArrayInputStream(contents.parameters())));
            List<Tensor> tensors = rename(network);
            return new Weights(network.torch().module(), inputShape(network, tensors), tensors);
        } catch (IOException | MalformedModelException e) {
            throw new IllegalStateException("checkpoint does not load into the job's network: " + e.getMessage(), e);
        }
    }

    /**
     * DJL names a parameter {@code <child>_<kind>}, the child being its layer ({@code 01Linear},
     * {@code 03Conv2d}); the n-th layer that holds parameters is the layout's n-th weighted layer.
     */
    private static List<Tensor> rename(Network network) {
        List<String> names = names(network);
        List<Tensor> out = new ArrayList<>();
        int i = 0;
        for (Pair<String, Parameter> p : network.block().getParameters()) {
            NDArray array = p.getValue().getArray();
            out.add(new Tensor(names.get(i++), array.getShape().getShape(), array.toType(DataType.FLOAT32, false).toFloatArray()));
        }
        return out;
    }

    /**
     * The PyTorch state_dict key of each of the network's parameters, in the block's order:
     * {@code layers.0.weight}, {@code conv1.bias} ….
     */
    public static List<String> names(Network network) {
        if (network.torch() == null) {
            throw new IllegalStateException("the network has no PyTorch layout");
        }
        List<String> torchLayers = network.torch().weightedLayers();
        Map<String, String> layerNames = new LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        for (Pair<String, Parameter> p : network.block().getParameters()) {
            String key = p.getKey();
            int cut = key.lastIndexOf('_');
            String layer = key.substring(0, cut);
            String kind = key.substring(cut + 1);
            if (!kind.equals("weight") && !kind.equals("bias")) {
                throw new IllegalStateException("parameter " + key + " has no PyTorch counterpart");
            }
            if (!layerNames.containsKey(layer)) {
                if (layerNames.size() == torchLayers.size()) {
                    throw new IllegalStateException("the network has more weighted layers than " + torchLayers);
                }
                layerNames.put(layer, torchLayers.get(layerNames.size()));
            }
            out.add(layerNames.get(layer) + "." + kind);
        }
        if (layerNames.size() != torchLayers.size()) {
            throw new IllegalStateException("the network has " + layerNames.size() + " weighted layers, the layout " + torchLayers);
        }
        return out;
    }

    /**
     * What the module's forward takes: WideNet a {@code [batch, in_features]} matrix (an MLP over images
     * is handed them flattened, as the seed's WideNet has no Flatten), MiniCNN {@code [batch, 1, 28, 28]}.
     */
    private static List<Long> inputShape(Network network, List<Tensor> tensors) {
        List<Long> shape = new ArrayList<>();
        shape.add(-1L);
        if (Networks.WIDE_NET.equals(network.torch().module())) {
            shape.add(tensors.get(0).shape()[1]);
        } else {
            for (long d : network.inputShape().slice(1).getShape()) {
                shape.add(d);
            }
        }
        return shape;
    }

    /** The tensors as one safetensors file, with {@code metadata} (string to string) in its header. */
    public static byte[] safetensors(List<Tensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", metadata);
        long offset = 0;
        for (Tensor t : tensors) {
            long end = offset + 4L * t.values().length;
            header.put(t.name(), Map.of("dtype", "F32", "shape", t.shape(), "data_offsets", new long[] {offset, end}));
            offset = end;
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteArrayOutputStream file = new ByteArrayOutputStream(8 + padded + (int) offset);
        file.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        file.writeBytes(json);
        file.writeBytes(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
        for (Tensor t : tensors) {
            ByteBuffer data = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
            data.asFloatBuffer().put(t.values());
            file.writeBytes(data.array());
        }
        return file.toByteArray();
    }
}
