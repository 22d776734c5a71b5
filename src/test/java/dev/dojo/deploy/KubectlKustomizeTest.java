package dev.dojo.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Where kubectl is installed, {@code kubectl kustomize} (kustomize proper, offline) renders every
 * overlay, and renders exactly the objects the Java {@link Kustomize} does, field for field; so
 * the checks of {@link KubernetesManifestTest} hold for what {@code kubectl apply -k} would send.
 * Skipped where there is no kubectl on the PATH.
 */
class KubectlKustomizeTest {

    static List<String> overlays() {
        return KubernetesManifestTest.OVERLAYS;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void kubectlRendersTheOverlayAsTheJavaRendererDoes(String overlay) throws Exception {
        Path kubectl = onPath("kubectl");
        assumeTrue(kubectl != null, "kubectl is not installed");
        String yaml = run(kubectl.toString(), "kustomize", DeployFiles.path("k8s/overlays/" + overlay).toString());
        Map<String, Object> byKubectl = new TreeMap<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (doc != null) {
                byKubectl.put(Kustomize.id(DeployFiles.map(doc)), doc);
            }
        }
        Map<String, Object> byJava = new TreeMap<>();
        KubernetesManifestTest.render(overlay).resources().forEach(r -> byJava.put(Kustomize.id(r), r));
        assertThat(byKubectl.keySet()).isEqualTo(byJava.keySet());
        for (String id : byJava.keySet()) {
            assertThat(byJava.get(id)).as(overlay + " " + id).isEqualTo(byKubectl.get(id));
        }
    }

    /** {@code kubectl kustomize} of an overlay, object by object; null where kubectl is not installed. */
    static List<Map<String, Object>> renderWithKubectl(String overlay) throws IOException, InterruptedException {
        Path kubectl = onPath("kubectl");
        if (kubectl == null) {
            return null;
        }
        String yaml = run(kubectl.toString(), "kustomize", DeployFiles.path("k8s/overlays/" + overlay).toString());
        List<Map<String, Object>> objects = new java.util.ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (doc != null) {
                objects.add(DeployFiles.map(doc));
            }
        }
        return objects;
    }

    private static Path onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("kubectl", ".out");
        Path err = Files.createTempFile("kubectl", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " took over 60 s");
            }
            assertThat(p.exitValue()).as(String.join(" ", command) + ": " + Files.readString(err)).isZero();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
