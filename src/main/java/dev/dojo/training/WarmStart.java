package dev.dojo.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a run starts other than from random weights: another job's checkpoint to take the weights
 * from (null when resuming this job's own checkpoint, which holds them already), and the layers whose
 * weights stay fixed, by their PyTorch names ({@code conv1}, {@code layers.0}; see {@link TorchExport#names}).
 * The optimizer always starts fresh.
 */
public record WarmStart(byte[] weightsFrom, Set<String> freeze) {

    public WarmStart {
        freeze = freeze == null ? Set.of() : Set.copyOf(freeze);
    }

    /** The positions, in the block's parameter order, of the parameters of the frozen layers. */
    List<Integer> frozenPositions(Network network) {
        List<Integer> positions = new ArrayList<>();
        if (freeze.isEmpty()) {
            return positions;
        }
        List<String> names = TorchExport.names(network);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (freeze.contains(name.substring(0, name.lastIndexOf('.')))) {
                positions.add(i);
            }
        }
        return List.copyOf(positions);
    }
}
