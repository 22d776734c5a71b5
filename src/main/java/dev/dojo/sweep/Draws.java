package dev.dojo.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** The trials' parameters of a checked space: a grid's combinations in order, or seeded random draws. */
final class Draws {

    private Draws() {}

    /** Every combination of the values, the first path varying slowest, cut to {@code maxTrials}. */
    static List<LinkedHashMap<String, JsonNode>> grid(Map<String, SweepRequest.Dimension> space, Integer maxTrials) {
        List<LinkedHashMap<String, JsonNode>> trials = new ArrayList<>();
        trials.add(new LinkedHashMap<>());
        for (Map.Entry<String, SweepRequest.Dimension> e : space.entrySet()) {
            List<LinkedHashMap<String, JsonNode>> next = new ArrayList<>();
            for (LinkedHashMap<String, JsonNode> t : trials) {
                for (JsonNode v : e.getValue().values()) {
                    LinkedHashMap<String, JsonNode> more = new LinkedHashMap<>(t);
                    more.put(e.getKey(), v);
                    next.add(more);
                }
            }
            trials = next;
        }
        return maxTrials == null || maxTrials >= trials.size() ? trials : new ArrayList<>(trials.subList(0, maxTrials));
    }

    /** {@code maxTrials} draws, one value per path per trial, from one generator seeded with {@code seed}. */
    static List<LinkedHashMap<String, JsonNode>> random(Map<String, SweepRequest.Dimension> space, int maxTrials, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LinkedHashMap<String, JsonNode>> trials = new ArrayList<>();
        for (int n = 0; n < maxTrials; n++) {
            LinkedHashMap<String, JsonNode> t = new LinkedHashMap<>();
            space.forEach((path, d) -> t.put(path, draw(d, random)));
            trials.add(t);
        }
        return trials;
    }

    private static JsonNode draw(SweepRequest.Dimension d, SplittableRandom random) {
        if (d.values() != null) {
            return d.values().get(random.nextInt(d.values().size()));
        }
        double u = random.nextDouble();
        double value = Boolean.TRUE.equals(d.log()) ? Math.exp(Math.log(d.min()) + u * (Math.log(d.max()) - Math.log(d.min())))
                : d.min() + u * (d.max() - d.min());
        if (Boolean.TRUE.equals(d.integer())) {
            long rounded = Math.max((long) Math.ceil(d.min()), Math.min((long) Math.floor(d.max()), Math.round(value)));
            return JsonNodeFactory.instance.numberNode(rounded);
        }
        return JsonNodeFactory.instance.numberNode(Math.max(d.min(), Math.min(d.max(), value)));
    }

}
