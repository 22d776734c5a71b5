package dev.dojo.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The deployment files of the repository, and small helpers to read them. */
final class DeployFiles {

    private DeployFiles() {}

    /** The repository root: Surefire runs with the module's base directory as working directory. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve("pom.xml"))) {
            throw new IllegalStateException("not the repository root (no pom.xml): " + dir);
        }
        return dir;
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML document in a file (null documents, e.g. after a trailing "---", dropped). */
    static List<Object> yamlDocuments(Path file) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Object> docs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object doc : yaml.loadAll(reader)) {
                if (doc != null) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot parse " + file + ": " + e.getMessage(), e);
        }
        return docs;
    }

    /** The one YAML mapping in a file. */
    static Map<String, Object> yamlMap(Path file) {
        List<Object> docs = yamlDocuments(file);
        if (docs.size() != 1 || !(docs.get(0) instanceof Map)) {
            throw new IllegalArgumentException(file + " does not hold exactly one YAML mapping");
        }
        return map(docs.get(0));
    }

    /** Every YAML file under a directory of the repository. */
    static List<Path> yamlFilesUnder(String relativeDir) {
        try (Stream<Path> files = Files.walk(path(relativeDir))) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        if (o == null) {
            return Map.of();
        }
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException("expected a mapping, got " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List)) {
            throw new IllegalArgumentException("expected a list, got " + o);
        }
        return (List<Object>) o;
    }

    /** {@code at(doc, "spec", "template", "spec")}: the nested value, or null where a key is missing. */
    static Object at(Object doc, String... keys) {
        Object current = doc;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    static String string(Object doc, String... keys) {
        Object value = at(doc, keys);
        return value == null ? null : String.valueOf(value);
    }

    /** A nested YAML mapping flattened into dotted keys, as Spring reads application.yml. */
    static Map<String, Object> flatten(Map<String, Object> yaml) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", yaml, flat);
        return flat;
    }

    private static void flatten(String prefix, Map<String, Object> yaml, Map<String, Object> flat) {
        yaml.forEach((key, value) -> {
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map) {
                flatten(name, map(value), flat);
            } else {
                flat.put(name, value);
            }
        });
    }

    /** pom.xml, as far as the tests need it. */
    record Pom(String version, Map<String, String> properties, Document document) {

        static Pom read() {
            try {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(false);
                Document doc = factory.newDocumentBuilder().parse(path("pom.xml").toFile());
                Element project = doc.getDocumentElement();
                String version = childText(project, "version").orElseThrow();
                Map<String, String> properties = new LinkedHashMap<>();
                child(project, "properties").ifPresent(props -> children(props).forEach(
                        p -> properties.put(p.getTagName(), p.getTextContent().trim())));
                return new Pom(version, properties, doc);
            } catch (Exception e) {
                throw new IllegalStateException("cannot read pom.xml", e);
            }
        }

        /** The {@code <exclude>} entries of spring-boot-maven-plugin in profile {@code id}, as "group:artifact:classifier". */
        List<String> bootPluginExcludesInProfile(String id) {
            List<String> excludes = new ArrayList<>();
            Element project = document.getDocumentElement();
            for (Element profile : child(project, "profiles").map(DeployFiles::children).orElse(List.of())) {
                if (!id.equals(childText(profile, "id").orElse(null))) {
                    continue;
                }
                for (Element plugin : child(profile, "build").flatMap(b -> child(b, "plugins"))
                        .map(DeployFiles::children).orElse(List.of())) {
                    if (!"spring-boot-maven-plugin".equals(childText(plugin, "artifactId").orElse(null))) {
                        continue;
                    }
                    for (Element exclude : child(plugin, "configuration").flatMap(c -> child(c, "excludes"))
                            .map(DeployFiles::children).orElse(List.of())) {
                        excludes.add(childText(exclude, "groupId").orElse("") + ":"
                                + childText(exclude, "artifactId").orElse("") + ":"
                                + childText(exclude, "classifier").orElse(""));
                    }
                }
            }
            return excludes;
        }
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
                out.add((Element) nodes.item(i));
            }
        }
        return out;
    }

    private static Optional<Element> child(Element parent, String tag) {
        return children(parent).stream().filter(e -> e.getTagName().equals(tag)).findFirst();
    }

    private static Optional<String> childText(Element parent, String tag) {
        return child(parent, tag).map(e -> e.getTextContent().trim()).filter(Objects::nonNull);
    }
}
