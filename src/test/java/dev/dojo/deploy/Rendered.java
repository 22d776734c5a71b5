package dev.dojo.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** An overlay's rendered resources, with lookups the Kubernetes tests share. */
record Rendered(String overlay, List<Map<String, Object>> resources) {

    static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet");

    /** A container of a workload. */
    record Container(Map<String, Object> workload, Map<String, Object> body) {

        String workloadName() {
            return DeployFiles.string(workload, "metadata", "name");
        }

        Map<String, Object> podSpec() {
            return DeployFiles.map(DeployFiles.at(workload, "spec", "template", "spec"));
        }

        String image() {
            return DeployFiles.string(body, "image");
        }

        boolean isDojo() {
            String repository = image().split(":")[0];
            return repository.equals("dojo") || repository.equals("dojo-gpu");
        }

        @Override
        public String toString() {
            return workloadName() + "/" + DeployFiles.string(body, "name");
        }
    }

    Set<String> ids() {
        Set<String> ids = new TreeSet<>();
        resources.forEach(r -> ids.add(r.get("kind") + "/" + DeployFiles.string(r, "metadata", "name")));
        return ids;
    }

    List<Map<String, Object>> ofKind(String kind) {
        return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return ofKind(kind).stream().filter(r -> name.equals(DeployFiles.string(r, "metadata", "name"))).findFirst();
    }

    List<Map<String, Object>> workloads() {
        return resources.stream().filter(r -> WORKLOADS.contains(String.valueOf(r.get("kind")))).toList();
    }

    List<Container> containers() {
        List<Container> out = new ArrayList<>();
        for (Map<String, Object> w : workloads()) {
            for (Object c : DeployFiles.list(DeployFiles.at(w, "spec", "template", "spec", "containers"))) {
                out.add(new Container(w, DeployFiles.map(c)));
            }
        }
        return out;
    }

    List<Container> dojoContainers() {
        return containers().stream().filter(Container::isDojo).toList();
    }

    /**
     * A container's environment as Kubernetes builds it: envFrom ConfigMaps and Secrets first (the
     * keys of the referenced objects in this render), then env (values from valueFrom shown as
     * "valueFrom").
     */
    Map<String, String> env(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object from : DeployFiles.list(c.body().get("envFrom"))) {
            for (String kind : List.of("ConfigMap", "Secret")) {
                String key = kind.equals("ConfigMap") ? "configMapRef" : "secretRef";
                String name = DeployFiles.string(from, key, "name");
                if (name == null) {
                    continue;
                }
                Optional<Map<String, Object>> source = find(kind, name);
                boolean optional = Boolean.parseBoolean(DeployFiles.string(from, key, "optional"));
                if (source.isEmpty() && !optional) {
                    throw new AssertionError(overlay + ": " + c + " loads missing " + kind + " " + name);
                }
                source.ifPresent(s -> dataKeys(s).forEach((k, v) -> env.put(k, v)));
            }
        }
        for (Object e : DeployFiles.list(c.body().get("env"))) {
            Object value = DeployFiles.at(e, "value");
            env.put(DeployFiles.string(e, "name"), value != null ? String.valueOf(value) : "valueFrom");
        }
        return env;
    }

    /** The data of a ConfigMap or Secret (stringData as written; base64 data left encoded). */
    static Map<String, String> dataKeys(Map<String, Object> configMapOrSecret) {
        Map<String, String> data = new LinkedHashMap<>();
        DeployFiles.map(configMapOrSecret.get("data")).forEach((k, v) -> data.put(k, String.valueOf(v)));
        DeployFiles.map(configMapOrSecret.get("stringData")).forEach((k, v) -> data.put(k, String.valueOf(v)));
        return data;
    }

    /** Whether a label selector (matchLabels only) selects a set of labels. */
    static boolean selects(Object matchLabels, Object labels) {
        Map<String, Object> selector = DeployFiles.map(matchLabels);
        Map<String, Object> set = DeployFiles.map(labels);
        return !selector.isEmpty() && selector.entrySet().stream()
                .allMatch(e -> String.valueOf(e.getValue()).equals(String.valueOf(set.get(e.getKey()))));
    }

    static Map<String, Object> podLabels(Map<String, Object> workload) {
        return DeployFiles.map(DeployFiles.at(workload, "spec", "template", "metadata", "labels"));
    }
}
