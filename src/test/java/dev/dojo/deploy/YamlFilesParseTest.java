package dev.dojo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every deployment YAML file parses, and every Kubernetes manifest is a well-formed object. */
class YamlFilesParseTest {

    @Test
    void composeFileAndPrometheusConfigParse() {
        assertThat(DeployFiles.yamlDocuments(DeployFiles.path("docker-compose.yml"))).hasSize(1);
        for (Path file : DeployFiles.yamlFilesUnder("deploy")) {
            assertThat(DeployFiles.yamlDocuments(file)).as(file.toString()).isNotEmpty();
        }
    }

    @Test
    void everyKubernetesFileParsesAndEveryManifestNamesItsKindAndName() {
        List<Path> files = DeployFiles.yamlFilesUnder("k8s");
        assertThat(files).hasSizeGreaterThan(10);
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            List<Object> docs = DeployFiles.yamlDocuments(file);
            if (docs.isEmpty()) {
                problems.add(file + ": no YAML document");
            }
            for (Object doc : docs) {
                if (!(doc instanceof Map)) {
                    problems.add(file + ": a document is not a mapping");
                    continue;
                }
                boolean kustomization = file.getFileName().toString().equals("kustomization.yaml");
                String kind = DeployFiles.string(doc, "kind");
                if (kustomization) {
                    if (!"Kustomization".equals(kind) && !"Component".equals(kind)) {
                        problems.add(file + ": kind " + kind);
                    }
                    continue;
                }
                if (DeployFiles.string(doc, "apiVersion") == null || kind == null
                        || DeployFiles.string(doc, "metadata", "name") == null) {
                    problems.add(file + ": a document without apiVersion, kind or metadata.name");
                }
            }
        }
        assertThat(problems).isEmpty();
    }
}
