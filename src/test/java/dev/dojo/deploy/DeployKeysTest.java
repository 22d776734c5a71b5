package dev.dojo.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dojo.deploy.Rendered.Container;
import dev.dojo.security.SecuritySettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The images listen on all interfaces, which the service allows only with a bootstrap key
 * (dev.dojo.security.ListenGuard): every deployment file must hand each Dojo container its keys from
 * a secret place (compose: the environment file, required; Kubernetes: a Secret), never bake one in,
 * and Prometheus must scrape with the metrics key.
 */
class DeployKeysTest {

    static final String BOOTSTRAP = "DOJO_SECURITY_BOOTSTRAP_KEY";
    static final String METRICS = "DOJO_SECURITY_METRICS_KEY";
    static final Set<String> KEYS = Set.of(BOOTSTRAP, METRICS);

    private final AppSettings app = AppSettings.get();
    private final Dockerfile dockerfile = Dockerfile.read(DeployFiles.path("Dockerfile"));

    @Test
    void theKeysAreTheServicesOwnSettings() {
        assertThat(app.propertiesSetBy(BOOTSTRAP)).containsExactly("dojo.security.bootstrap-key");
        assertThat(app.propertiesSetBy(METRICS)).containsExactly("dojo.security.metrics-key");
    }

    @Test
    void bothImagesListenBeyondLoopbackAndCarryNoKey() throws Exception {
        for (String target : List.of("runtime", "runtime-gpu")) {
            Map<String, String> env = dockerfile.stage(target).env();
            String address = env.get("SERVER_ADDRESS");
            assertThat(address).as(target + " SERVER_ADDRESS").isNotNull();
            assertThat(InetAddress.getByName(address).isLoopbackAddress()).as(target).isFalse();
        }
        for (Dockerfile.Stage stage : dockerfile.stages()) {
            assertThat(stage.env().keySet()).as(stage.name() + " bakes a key into a layer").doesNotContainAnyElementsOf(KEYS);
            stage.all("ARG").forEach(arg -> assertThat(arg.raw()).as(stage.name()).doesNotContain("DOJO_SECURITY"));
        }
        assertThat(dockerfile.globalArgs().keySet()).doesNotContainAnyElementsOf(KEYS);
    }

    // ----------------------------------------------------------------------------------------------
    // Compose

    private final Map<String, Object> compose = DeployFiles.yamlMap(DeployFiles.path("docker-compose.yml"));
    private final Map<String, Object> services = DeployFiles.map(compose.get("services"));

    /** ${NAME:?message}: Compose refuses to start while NAME is unset or empty, and says the message. */
    private static final Pattern REQUIRED = Pattern.compile("\\$\\{([A-Z_]+):\\?([^}]+)}");

    @Test
    void everyDojoServiceRequiresBothKeysFromTheEnvironmentFile() {
        Map<String, Map<String, Object>> dojo = new ComposeFileTest().dojoServices();
        assertThat(dojo).containsKeys("api", "worker-1", "worker-2", "worker-gpu");
        dojo.forEach((name, s) -> {
            Map<String, String> env = ComposeFileTest.env(s);
            for (String key : KEYS) {
                Matcher m = REQUIRED.matcher(String.valueOf(env.get(key)));
                assertThat(m.matches()).as(name + " " + key + " = " + env.get(key) + ": must be ${" + key + ":?message}").isTrue();
                assertThat(m.group(1)).isEqualTo(key);
                assertThat(m.group(2)).as("the message says where to set it").contains(key).contains(".env");
            }
        });
    }

    @Test
    void theEnvironmentFileTemplateListsEveryRequiredVariableAndTheRealOneStaysOutOfGitAndImages() {
        Set<String> required = new TreeSet<>();
        Matcher m = REQUIRED.matcher(DeployFiles.read(DeployFiles.path("docker-compose.yml")));
        while (m.find()) {
            required.add(m.group(1));
        }
        assertThat(required).containsAll(KEYS);
        Map<String, String> template = new LinkedHashMap<>();
        for (String line : DeployFiles.read(DeployFiles.path(".env.example")).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] kv = line.split("=", 2);
                template.put(kv[0].trim(), kv.length > 1 ? kv[1].trim() : "");
            }
        }
        assertThat(template.keySet()).containsAll(required);
        // Empty in the template: Compose refuses an empty value too, so a copied template cannot start with a known key.
        KEYS.forEach(k -> assertThat(template.get(k)).as(k + " in .env.example").isEmpty());
        assertThat(DeployFiles.read(DeployFiles.path(".gitignore")).lines().map(String::trim)).contains(".env");
        List<String> dockerignore = DeployFiles.read(DeployFiles.path(".dockerignore")).lines().map(String::trim).toList();
        assertThat(dockerignore.get(dockerignore.indexOf("*"))).as("the build context is an allow-list").isEqualTo("*");
        assertThat(dockerignore).noneMatch(l -> l.startsWith("!") && l.contains(".env"));
    }

    @Test
    void prometheusScrapesWithTheMetricsKeyThatItsEntrypointWritesToAFileOnATmpfs() {
        Map<String, Object> prometheus = DeployFiles.map(services.get("prometheus"));
        Matcher m = REQUIRED.matcher(String.valueOf(ComposeFileTest.env(prometheus).get(METRICS)));
        assertThat(m.matches()).as("prometheus gets " + METRICS + " as a required variable").isTrue();
        Map<String, Object> config = DeployFiles.yamlMap(DeployFiles.path("deploy/prometheus/prometheus.yml"));
        Object dojo = DeployFiles.list(config.get("scrape_configs")).stream()
                .filter(j -> "dojo".equals(DeployFiles.string(j, "job_name"))).findFirst().orElseThrow();
        assertThat(DeployFiles.string(dojo, "authorization", "type")).isEqualTo("Bearer");
        String file = DeployFiles.string(dojo, "authorization", "credentials_file");
        assertThat(file).as("credentials_file").startsWith("/");
        String script = String.join(" ", DeployFiles.list(prometheus.get("entrypoint")).stream().map(String::valueOf).toList());
        // Compose turns $$ into $: the shell sees $DOJO_SECURITY_METRICS_KEY.
        assertThat(script).contains("\"$$" + METRICS + "\" >" + file).contains("umask 077").contains("exec prometheus");
        String dir = file.substring(0, file.lastIndexOf('/'));
        assertThat(DeployFiles.list(prometheus.get("tmpfs")).stream().map(String::valueOf))
                .as("the key file lives in memory only").anyMatch(t -> t.split(":")[0].equals(dir));
        assertThat(DeployFiles.list(prometheus.get("command")).stream().map(String::valueOf))
                .contains("--config.file=/etc/prometheus/prometheus.yml");
    }

    // ----------------------------------------------------------------------------------------------
    // Kubernetes

    static List<String> overlays() {
        return KubernetesManifestTest.OVERLAYS;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyDojoContainerLoadsBothKeysFromARequiredSecretAndNoConfigMapHoldsOne(String overlay) {
        Rendered rendered = KubernetesManifestTest.render(overlay);
        List<Container> dojo = rendered.dojoContainers();
        assertThat(dojo).extracting(Container::workloadName).contains("dojo-api", "dojo-worker");
        for (Container c : dojo) {
            Set<String> fromSecrets = new TreeSet<>();
            for (Object from : DeployFiles.list(c.body().get("envFrom"))) {
                String name = DeployFiles.string(from, "secretRef", "name");
                if (name == null) {
                    continue;
                }
                Map<String, Object> secret = rendered.find("Secret", name)
                        .orElseThrow(() -> new AssertionError(overlay + " " + c + " loads missing Secret " + name));
                Set<String> keys = Rendered.dataKeys(secret).keySet();
                if (keys.stream().anyMatch(KEYS::contains)) {
                    assertThat(DeployFiles.string(from, "secretRef", "optional")).as(c + " " + name + " optional").isNotEqualTo("true");
                    fromSecrets.addAll(keys);
                }
            }
            assertThat(fromSecrets).as(overlay + " " + c).containsAll(KEYS);
            for (Object e : DeployFiles.list(c.body().get("env"))) {
                assertThat(DeployFiles.string(e, "name")).as(c + " overrides a key in env").isNotIn(KEYS);
            }
        }
        for (Map<String, Object> configMap : rendered.ofKind("ConfigMap")) {
            assertThat(Rendered.dataKeys(configMap).keySet()).as(Kustomize.id(configMap)).doesNotContainAnyElementsOf(KEYS);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theSecretsPlaceholdersCannotGoLiveTheServiceRefusesThemNamingTheSetting(String overlay) {
        Map<String, String> secret = Rendered.dataKeys(KubernetesManifestTest.render(overlay).find("Secret", "dojo-security").orElseThrow());
        assertThat(secret.keySet()).containsExactlyInAnyOrderElementsOf(KEYS);
        assertThatThrownBy(() -> new SecuritySettings(secret.get(BOOTSTRAP), null, false, Duration.ofSeconds(1)))
                .hasMessageContaining(BOOTSTRAP).hasMessageContaining("openssl rand");
        assertThatThrownBy(() -> new SecuritySettings(null, secret.get(METRICS), false, Duration.ofSeconds(1)))
                .hasMessageContaining(METRICS);
        assertThat(secret.get(BOOTSTRAP)).containsIgnoringCase("replace before applying");
    }
}
