package dev.dojo.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A small kustomize in Java, so that the tests can check what each overlay renders to without
 * kubectl. It implements exactly the part of kustomize that k8s/ uses, and refuses the rest.
 *
 * <p>What it does: a {@code Kustomization} (or {@code Component}) in {@code kustomization.yaml}
 * with the fields {@code resources} (files, or directories holding a Kustomization, rendered
 * recursively), {@code components} (directories holding a Component: its resources are added and
 * its own patches and namespace applied to everything accumulated so far), {@code patches} with a
 * {@code path} or inline {@code patch} holding a strategic-merge patch that names its target by
 * kind and name, and {@code namespace} (set on every resource but Namespaces, after resources,
 * components and patches, as kustomize does). A patch that matches nothing, or two resources with
 * the same kind, namespace and name, is an error, as in kustomize.
 *
 * <p>What it does not do: any other kustomization field (generators, images, name prefixes,
 * labels, replicas, JSON 6902 patches, patch targets by selector) is refused with an
 * {@link UnsupportedOperationException}, not ignored. In patches it merges mappings and replaces
 * scalars, and refuses lists and {@code $patch} directives, because strategic merge of lists
 * depends on per-field merge keys it does not know. It applies no schema, defaults or validation.
 * {@code KubectlKustomizeTest} compares its output with {@code kubectl kustomize} for every
 * overlay wherever kubectl is installed.
 */
final class Kustomize {

    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "namespace", "resources", "components", "patches");
    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass",
            "CustomResourceDefinition", "PriorityClass", "IngressClass", "RuntimeClass");

    private Kustomize() {}

    /** The resources a kustomization directory renders to, in no particular order. */
    static List<Map<String, Object>> render(Path dir) {
        Map<String, Object> k = kustomization(dir, "Kustomization");
        List<Map<String, Object>> out = new ArrayList<>();
        addResources(dir, k, out);
        for (Object component : DeployFiles.list(k.get("components"))) {
            applyComponent(dir.resolve(String.valueOf(component)).normalize(), out);
        }
        transform(dir, k, out);
        return out;
    }

    private static void applyComponent(Path dir, List<Map<String, Object>> out) {
        Map<String, Object> k = kustomization(dir, "Component");
        addResources(dir, k, out);
        for (Object component : DeployFiles.list(k.get("components"))) {
            applyComponent(dir.resolve(String.valueOf(component)).normalize(), out);
        }
        transform(dir, k, out);
    }

    private static void addResources(Path dir, Map<String, Object> k, List<Map<String, Object>> out) {
        for (Object entry : DeployFiles.list(k.get("resources"))) {
            Path p = dir.resolve(String.valueOf(entry)).normalize();
            if (Files.isDirectory(p)) {
                out.addAll(render(p));
            } else if (Files.isRegularFile(p)) {
                for (Object doc : DeployFiles.yamlDocuments(p)) {
                    out.add(DeployFiles.map(doc));
                }
            } else {
                throw new IllegalArgumentException(dir + ": resource " + entry + " does not exist");
            }
        }
        requireUnique(dir, out);
    }

    private static void transform(Path dir, Map<String, Object> k, List<Map<String, Object>> out) {
        for (Object entry : DeployFiles.list(k.get("patches"))) {
            Map<String, Object> patch = DeployFiles.map(entry);
            for (String field : patch.keySet()) {
                if (!field.equals("path") && !field.equals("patch")) {
                    throw new UnsupportedOperationException(dir + ": patches[]." + field + " is not implemented here");
                }
            }
            List<Object> docs;
            if (patch.containsKey("path")) {
                docs = DeployFiles.yamlDocuments(dir.resolve(String.valueOf(patch.get("path"))).normalize());
            } else {
                docs = toList(new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(String.valueOf(patch.get("patch"))));
            }
            for (Object doc : docs) {
                applyPatch(dir, DeployFiles.map(doc), out);
            }
        }
        Object namespace = k.get("namespace");
        if (namespace != null) {
            for (Map<String, Object> resource : out) {
                if (!CLUSTER_SCOPED.contains(String.valueOf(resource.get("kind")))) {
                    DeployFiles.map(resource.get("metadata")).put("namespace", String.valueOf(namespace));
                }
            }
        }
        requireUnique(dir, out);
    }

    private static List<Object> toList(Iterable<Object> it) {
        List<Object> list = new ArrayList<>();
        it.forEach(doc -> {
            if (doc != null) {
                list.add(doc);
            }
        });
        return list;
    }

    private static void applyPatch(Path dir, Map<String, Object> patch, List<Map<String, Object>> out) {
        String kind = String.valueOf(patch.get("kind"));
        String name = DeployFiles.string(patch, "metadata", "name");
        String namespace = DeployFiles.string(patch, "metadata", "namespace");
        List<Map<String, Object>> targets = out.stream()
                .filter(r -> kind.equals(r.get("kind")) && name != null && name.equals(DeployFiles.string(r, "metadata", "name")))
                .filter(r -> namespace == null || namespace.equals(DeployFiles.string(r, "metadata", "namespace")))
                .toList();
        if (targets.size() != 1) {
            throw new IllegalArgumentException(dir + ": patch for " + kind + "/" + name + " matches " + targets.size() + " resources");
        }
        Map<String, Object> body = new LinkedHashMap<>(patch);
        body.remove("apiVersion");
        body.remove("kind");
        Map<String, Object> metadata = new LinkedHashMap<>(DeployFiles.map(body.get("metadata")));
        metadata.remove("name");
        metadata.remove("namespace");
        body.put("metadata", metadata);
        merge(dir, targets.get(0), body);
    }

    private static void merge(Path dir, Map<String, Object> target, Map<String, Object> patch) {
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (key.startsWith("$")) {
                throw new UnsupportedOperationException(dir + ": patch directive " + key + " is not implemented here");
            }
            if (value == null) {
                target.remove(key);
            } else if (value instanceof Map) {
                Object existing = target.get(key);
                if (existing instanceof Map) {
                    merge(dir, DeployFiles.map(existing), DeployFiles.map(value));
                } else {
                    target.put(key, value);
                }
            } else if (value instanceof List) {
                throw new UnsupportedOperationException(dir + ": lists in patches (" + key + ") are not implemented here");
            } else {
                target.put(key, value);
            }
        }
    }

    private static void requireUnique(Path dir, List<Map<String, Object>> out) {
        Set<String> ids = new HashSet<>();
        for (Map<String, Object> r : out) {
            if (!ids.add(id(r))) {
                throw new IllegalArgumentException(dir + ": two resources are " + id(r));
            }
        }
    }

    /** kind/namespace/name. */
    static String id(Map<String, Object> resource) {
        String ns = DeployFiles.string(resource, "metadata", "namespace");
        return resource.get("kind") + "/" + (ns == null ? "" : ns) + "/" + DeployFiles.string(resource, "metadata", "name");
    }

    private static Map<String, Object> kustomization(Path dir, String expectedKind) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + " has no kustomization.yaml");
        }
        Map<String, Object> k = DeployFiles.yamlMap(file);
        String kind = String.valueOf(k.getOrDefault("kind", "Kustomization"));
        if (!kind.equals(expectedKind)) {
            throw new IllegalArgumentException(file + " is a " + kind + ", expected a " + expectedKind);
        }
        for (String field : k.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new UnsupportedOperationException(file + ": field " + field + " is not implemented here");
            }
        }
        return k;
    }
}
