package dev.dojo.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a run starts other than from random weights: another job's checkpoint to take the weights
 * from (null when resuming this job's own checkpoint, which holds them already), the layers whose
 * weights stay fixed, and the layers that keep their fresh random weights instead of the source's
 * (a new classifier head), all by their PyTorch names ({@code conv1}, {@code layers.0}; see
 * {@link TorchExport#names}). The optimizer always starts fresh.
 */
public record WarmStart(byte[] weightsFrom, Set<String> freeze, Set<String> reset) {

    public WarmStart {
        freeze = freeze == null ? Set.of() : Set.copyOf(freeze);
        reset = reset == null ? Set.of() : Set.copyOf(reset);
    }

    /** A warm start that takes every layer from the source. */
    public WarmStart(byte[] weightsFrom, Set<String> freeze) {
        this(weightsFrom, freeze, null);
    }

    /** The positions, in the block's parameter order, of the parameters of the frozen layers. */
    List<Integer> frozenPositions(Network network) {
        return positions(network, freeze);
    }

    /** The positions, in the block's parameter order, of the parameters of the layers that start fresh. */
    List<Integer> resetPositions(Network network) {
        return positions(network, reset);
    }

    private static List<Integer> positions(Network network, Set<String> layers) {
        List<Integer> positions = new ArrayList<>();
        if (layers.isEmpty()) {
            return positions;
        }
        List<String> names = TorchExport.names(network);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (layers.contains(name.substring(0, name.lastIndexOf('.')))) {
                positions.add(i);
            }
        }
        return List.copyOf(positions);
    }
}
