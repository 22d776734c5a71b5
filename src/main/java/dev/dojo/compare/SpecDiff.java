package dev.dojo.compare;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Names runs by what differs between them: each resolved spec flattened to its leaves (dotted paths;
 * a list such as {@code hiddenUnits} is one leaf), the leaves whose values are not the same in every
 * spec, shown as {@code loss=l1, hiddenUnits=[512,512]}. The job's name and labels are left out: they
 * describe a run, they do not change it.
 */
final class SpecDiff {

    /** Leaves that never name a run. */
    private static final Set<String> IGNORED = Set.of("name", "labels");
    /** A name longer than this is clipped; a legend has room for about two lines of it. */
    static final int MAX_NAME = 120;
    static final String ABSENT = "none";

    private SpecDiff() {}

    /** The paths that differ, in the first spec's order, then any only later specs have. */
    static List<String> differing(List<JsonNode> specs) {
        List<Map<String, String>> leaves = specs.stream().map(SpecDiff::leaves).toList();
        Set<String> paths = new LinkedHashSet<>();
        leaves.forEach(l -> paths.addAll(l.keySet()));
        List<String> out = new ArrayList<>();
        for (String path : paths) {
            Set<String> values = new HashSet<>();
            leaves.forEach(l -> values.add(l.getOrDefault(path, ABSENT)));
            if (values.size() > 1) {
                out.add(path);
            }
        }
        return out;
    }

    /**
     * One name per spec, in order: its values of the differing paths, each under its last segment
     * unless two differing paths share it. Where nothing differs, or two specs come out the same,
     * the fallback (the job id) names the run, or is added to the name in brackets.
     */
    static List<String> names(List<JsonNode> specs, List<String> fallbacks) {
        List<String> paths = differing(specs);
        Map<String, String> shown = shortNames(paths);
        List<String> names = new ArrayList<>();
        for (JsonNode spec : specs) {
            Map<String, String> leaves = leaves(spec);
            List<String> parts = paths.stream().map(p -> shown.get(p) + "=" + leaves.getOrDefault(p, ABSENT)).toList();
            names.add(clip(String.join(", ", parts)));
        }
        Map<String, Integer> seen = new HashMap<>();
        names.forEach(n -> seen.merge(n, 1, Integer::sum));
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n.isEmpty()) {
                names.set(i, fallbacks.get(i));
            } else if (seen.get(n) > 1) {
                names.set(i, n + " (" + shortId(fallbacks.get(i)) + ")");
            }
        }
        return names;
    }

    private static Map<String, String> shortNames(List<String> paths) {
        Map<String, Integer> lastCount = new HashMap<>();
        paths.forEach(p -> lastCount.merge(last(p), 1, Integer::sum));
        Map<String, String> shown = new HashMap<>();
        paths.forEach(p -> shown.put(p, lastCount.get(last(p)) > 1 ? p : last(p)));
        return shown;
    }

    private static String last(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    private static String clip(String name) {
        return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME - 1) + "…";
    }

    /** Every leaf of the spec by dotted path, in document order; an array is one leaf, shown as compact JSON. */
    static Map<String, String> leaves(JsonNode spec) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        walk("", spec, out);
        return out;
    }

    private static void walk(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            // Every spec is a JobSpec written by one mapper, so its fields come in the same order.
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                if (!(prefix.isEmpty() && IGNORED.contains(e.getKey()))) {
                    walk(path, e.getValue(), out);
                }
            }
        } else if (!node.isNull() && !node.isMissingNode()) {
            out.put(prefix, node.isString() ? node.asString() : node.toString());
        }
    }
}
