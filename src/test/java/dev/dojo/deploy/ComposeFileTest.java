package dev.dojo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml against the service, the Dockerfile and Prometheus' configuration. Compose
 * itself is not run (no Docker engine is needed): the file is read as YAML, with its anchors and
 * merge keys resolved by the YAML parser as Compose resolves them.
 */
class ComposeFileTest {

    private static final Set<String> DOJO_IMAGES = Set.of("dojo", "dojo-gpu");

    private final Map<String, Object> compose = DeployFiles.yamlMap(DeployFiles.path("docker-compose.yml"));
    private final Map<String, Object> services = DeployFiles.map(compose.get("services"));
    private final AppSettings app = AppSettings.get();

    Map<String, Map<String, Object>> dojoServices() {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        services.forEach((name, s) -> {
            String image = DeployFiles.string(s, "image");
            if (image != null && DOJO_IMAGES.contains(image.split(":")[0])) {
                out.put(name, DeployFiles.map(s));
            }
        });
        return out;
    }

    static Map<String, String> env(Object service) {
        Object environment = DeployFiles.at(service, "environment");
        Map<String, String> env = new LinkedHashMap<>();
        if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String[] kv = String.valueOf(entry).split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : null);
            }
        } else {
            DeployFiles.map(environment).forEach((k, v) -> env.put(k, v == null ? null : String.valueOf(v)));
        }
        return env;
    }

    @Test
    void theTopologyIsOneApiTwoCpuWorkersAndOptionalGpuWorkerAndPrometheus() {
        assertThat(services).containsKeys("postgres", "api", "worker-1", "worker-2", "worker-gpu", "prometheus");
        Map<String, String> roles = new TreeMap<>();
        dojoServices().forEach((name, s) -> roles.put(name, env(s).get("DOJO_ROLES")));
        assertThat(roles).containsEntry("api", "api").containsEntry("worker-1", "worker")
                .containsEntry("worker-2", "worker").containsEntry("worker-gpu", "worker");
        assertThat(roles.values().stream().filter("api"::equals)).hasSize(1);
        assertThat(DeployFiles.list(DeployFiles.at(services.get("worker-gpu"), "profiles"))).containsExactly("gpu");
        assertThat(DeployFiles.list(DeployFiles.at(services.get("prometheus"), "profiles"))).containsExactly("monitoring");
        for (String always : List.of("postgres", "api", "worker-1", "worker-2")) {
            assertThat(DeployFiles.at(services.get(always), "profiles")).as(always).isNull();
        }
    }

    @Test
    void dojoServicesUseTheProjectsImagesBuiltFromTheMatchingDockerfileTarget() {
        String version = DeployFiles.Pom.read().version();
        Dockerfile dockerfile = Dockerfile.read(DeployFiles.path("Dockerfile"));
        assertThat(dojoServices()).hasSizeGreaterThanOrEqualTo(4);
        dojoServices().forEach((name, s) -> {
            String image = DeployFiles.string(s, "image");
            String repository = image.split(":")[0];
            assertThat(image).as(name).isEqualTo(repository + ":" + version);
            String target = DeployFiles.string(s, "build", "target");
            assertThat(target).as(name).isEqualTo(repository.equals("dojo-gpu") ? "runtime-gpu" : "runtime");
            assertThat(dockerfile.hasStage(target)).isTrue();
            assertThat(DeployFiles.string(s, "build", "context")).isEqualTo(".");
        });
        assertThat(DeployFiles.string(services.get("postgres"), "image")).isEqualTo("postgres:15");
    }

    @Test
    void everyVariableIsOneTheReceivingContainerReads() {
        dojoServices().forEach((name, s) ->
                assertThat(app.unknown(env(s).keySet(), EnvAllowList.DOJO_CONTAINER)).as(name).isEmpty());
        assertThat(EnvAllowList.POSTGRES).containsAll(env(services.get("postgres")).keySet());
        assertThat(EnvAllowList.PROMETHEUS).containsAll(env(services.get("prometheus")).keySet());
    }

    @Test
    void everyNodeSharesThePostgresServiceWithItsCredentials() {
        Map<String, String> pg = env(services.get("postgres"));
        dojoServices().forEach((name, s) -> {
            Map<String, String> env = env(s);
            assertThat(env.get("SPRING_PROFILES_ACTIVE")).as(name).isEqualTo("postgres");
            assertThat(env).as(name)
                    .containsEntry("DOJO_DB_HOST", "postgres")
                    .containsEntry("DOJO_DB_NAME", pg.get("POSTGRES_DB"))
                    .containsEntry("DOJO_DB_USER", pg.get("POSTGRES_USER"))
                    .containsEntry("DOJO_DB_PASSWORD", pg.get("POSTGRES_PASSWORD"));
            assertThat(DeployFiles.string(s, "depends_on", "postgres", "condition")).as(name).isEqualTo("service_healthy");
        });
        assertThat(DeployFiles.string(services.get("postgres"), "healthcheck", "test")).contains("pg_isready");
        assertThat(DeployFiles.list(DeployFiles.at(services.get("postgres"), "volumes")))
                .anyMatch(v -> String.valueOf(v).endsWith(":/var/lib/postgresql/data"));
        assertThat(DeployFiles.map(compose.get("volumes"))).containsKey("pgdata");
    }

    @Test
    void nodeNamesAreStableAndUnique() {
        List<String> ids = new ArrayList<>();
        dojoServices().forEach((name, s) -> ids.add(env(s).get("DOJO_NODE_ID")));
        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void theApiIsPublishedOnTheServicePortAndNoServiceOverridesTheImageHealthcheckWithAnotherUrl() {
        assertThat(DeployFiles.list(DeployFiles.at(services.get("api"), "ports")))
                .anyMatch(p -> String.valueOf(p).endsWith(":" + app.serverPort()));
        Pattern url = Pattern.compile("https?://[^\\s'\"]+");
        dojoServices().forEach((name, s) -> {
            Object test = DeployFiles.at(s, "healthcheck", "test");
            if (test != null) {
                Matcher m = url.matcher(String.valueOf(test));
                assertThat(m.find()).as(name + " healthcheck names a URL").isTrue();
                java.net.URI uri = java.net.URI.create(m.group());
                assertThat(uri.getPort()).isEqualTo(app.actuatorPort());
                assertThat(uri.getPath()).isIn(app.healthPath(), app.readinessPath(), app.livenessPath());
            }
        });
    }

    @Test
    void workersGetLongerThanTheirShutdownGraceToRequeueTheirJobs() {
        dojoServices().forEach((name, s) -> {
            Map<String, String> env = env(s);
            if (!env.getOrDefault("DOJO_ROLES", "api,worker").contains("worker")) {
                return;
            }
            String stop = DeployFiles.string(s, "stop_grace_period");
            assertThat(stop).as(name + " stop_grace_period (Docker's default is 10 s)").isNotNull();
            assertThat(composeDuration(stop)).as(name).isGreaterThan(app.shutdownGrace(env));
        });
    }

    @Test
    void onlyTheGpuWorkerReservesAnNvidiaGpuAndItInsistsOnUsingIt() {
        dojoServices().forEach((name, s) -> {
            List<Object> devices = DeployFiles.list(DeployFiles.at(s, "deploy", "resources", "reservations", "devices"));
            boolean gpuImage = DeployFiles.string(s, "image").startsWith("dojo-gpu:");
            assertThat(!devices.isEmpty()).as(name).isEqualTo(gpuImage);
            if (gpuImage) {
                Map<String, Object> device = DeployFiles.map(devices.get(0));
                assertThat(device).containsEntry("driver", "nvidia");
                assertThat(DeployFiles.list(device.get("capabilities"))).contains("gpu");
                assertThat(env(s)).containsEntry("DOJO_WORKER_DEVICE", "gpu");
            } else {
                assertThat(env(s).get("DOJO_WORKER_DEVICE")).as(name).isNotEqualTo("gpu");
            }
        });
    }

    @Test
    void prometheusScrapesEveryDojoNodeOnTheActuatorEndpoint() {
        Map<String, Object> prometheus = DeployFiles.map(services.get("prometheus"));
        String mount = DeployFiles.list(prometheus.get("volumes")).stream().map(String::valueOf)
                .filter(v -> v.contains(":/etc/prometheus/prometheus.yml")).findFirst().orElseThrow();
        String file = mount.split(":")[0];
        assertThat(file).startsWith("./");
        Map<String, Object> config = DeployFiles.yamlMap(DeployFiles.path(file.substring(2)));
        Set<String> targets = new TreeSet<>();
        for (Object job : DeployFiles.list(config.get("scrape_configs"))) {
            if (!"dojo".equals(DeployFiles.string(job, "job_name"))) {
                continue;
            }
            assertThat(DeployFiles.string(job, "metrics_path")).isEqualTo(app.prometheusPath());
            for (Object sc : DeployFiles.list(DeployFiles.at(job, "static_configs"))) {
                DeployFiles.list(DeployFiles.at(sc, "targets")).forEach(t -> targets.add(String.valueOf(t)));
            }
        }
        Set<String> expected = new TreeSet<>();
        dojoServices().keySet().forEach(name -> expected.add(name + ":" + app.actuatorPort()));
        assertThat(targets).isEqualTo(expected);
    }

    /** Compose durations: "60s", "1m30s", "500ms". */
    static Duration composeDuration(String s) {
        Matcher m = Pattern.compile("(\\d+)(ms|h|m|s)").matcher(s);
        Duration total = Duration.ZERO;
        int consumed = 0;
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
            });
            consumed += m.group().length();
        }
        if (consumed != s.length() || consumed == 0) {
            throw new IllegalArgumentException("not a compose duration: " + s);
        }
        return total;
    }
}
