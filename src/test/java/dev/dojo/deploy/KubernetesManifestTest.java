package dev.dojo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.deploy.Rendered.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The k8s/ overlays as rendered by the Java {@link Kustomize} (no kubectl needed), checked against
 * the service (port, actuator probe paths, environment variables it reads, worker shutdown grace),
 * the build (image names and tags) and each other (selectors, Services, budgets, the database).
 * {@link KubectlKustomizeTest} shows, where kubectl exists, that these are the objects kubectl
 * renders too.
 */
class KubernetesManifestTest {

    static final List<String> OVERLAYS = List.of("cpu-only", "gpu", "external-db");

    private static final Set<String> COMMON = Set.of(
            "Namespace/dojo", "ConfigMap/dojo-config", "Secret/dojo-db", "Secret/dojo-security",
            "Deployment/dojo-api", "Service/dojo-api", "Deployment/dojo-worker",
            "PodDisruptionBudget/dojo-api", "PodDisruptionBudget/dojo-worker");
    private static final Set<String> IN_CLUSTER_DB = Set.of("StatefulSet/dojo-postgres", "Service/dojo-postgres");
    private static final String GPU = "nvidia.com/gpu";

    private final AppSettings app = AppSettings.get();

    private static final Map<String, Rendered> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

    /** Rendered once per overlay (the tests only read it). */
    static Rendered render(String overlay) {
        return RENDERED.computeIfAbsent(overlay,
                o -> new Rendered(o, Kustomize.render(DeployFiles.path("k8s/overlays/" + o))));
    }

    static Stream<String> overlays() {
        return OVERLAYS.stream();
    }

    @Test
    void theOverlaysAreTheThreeNamed() throws IOException {
        try (Stream<Path> dirs = Files.list(DeployFiles.path("k8s/overlays"))) {
            assertThat(dirs.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(OVERLAYS);
        }
    }

    @Test
    void eachOverlayRendersExactlyItsObjects() {
        Set<String> cpuOnly = union(COMMON, IN_CLUSTER_DB);
        assertThat(render("cpu-only").ids()).isEqualTo(cpuOnly);
        assertThat(render("gpu").ids()).isEqualTo(union(cpuOnly, Set.of("Deployment/dojo-worker-gpu")));
        assertThat(render("external-db").ids()).isEqualTo(COMMON);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> set = new TreeSet<>(a);
        set.addAll(b);
        return set;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everythingButTheNamespaceItselfLivesInTheDojoNamespace(String overlay) {
        for (Map<String, Object> r : render(overlay).resources()) {
            String ns = DeployFiles.string(r, "metadata", "namespace");
            if ("Namespace".equals(r.get("kind"))) {
                assertThat(ns).isNull();
            } else {
                assertThat(ns).as(overlay + " " + Kustomize.id(r)).isEqualTo("dojo");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void onlyTheGpuOverlayHasAGpuWorkerAndItIsAGpuWorkerThroughout(String overlay) {
        Rendered rendered = render(overlay);
        Set<String> gpuWorkloads = new TreeSet<>();
        for (Container c : rendered.containers()) {
            Object limit = DeployFiles.at(c.body(), "resources", "limits", GPU);
            Object request = DeployFiles.at(c.body(), "resources", "requests", GPU);
            if (limit == null && request == null) {
                assertThat(c.image()).as(c.toString()).doesNotStartWith("dojo-gpu:");
                continue;
            }
            gpuWorkloads.add(c.workloadName());
            assertThat(String.valueOf(limit)).as(c + " limits " + GPU).isEqualTo("1");
            if (request != null) {
                assertThat(String.valueOf(request)).as("extended resources: requests equal limits").isEqualTo("1");
            }
            assertThat(c.image()).startsWith("dojo-gpu:");
            assertThat(rendered.env(c)).containsEntry("DOJO_WORKER_DEVICE", "gpu").containsEntry("DOJO_ROLES", "worker");
            assertThat(DeployFiles.list(c.podSpec().get("tolerations")))
                    .anyMatch(t -> GPU.equals(DeployFiles.string(t, "key")));
        }
        assertThat(gpuWorkloads).isEqualTo(overlay.equals("gpu") ? Set.of("dojo-worker-gpu") : Set.of());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theDatabaseIsEitherTheInClusterStatefulSetOrAnExternalHost(String overlay) {
        Rendered rendered = render(overlay);
        Map<String, String> config = Rendered.dataKeys(rendered.find("ConfigMap", "dojo-config").orElseThrow());
        String host = config.get("DOJO_DB_HOST");
        assertThat(host).isNotBlank();
        Optional<Map<String, Object>> sts = rendered.find("StatefulSet", "dojo-postgres");
        if (overlay.equals("external-db")) {
            assertThat(rendered.ofKind("StatefulSet")).isEmpty();
            assertThat(rendered.ofKind("PersistentVolumeClaim")).isEmpty();
            assertThat(rendered.find("Service", host)).as("an external host, not a Service of this overlay").isEmpty();
            return;
        }
        assertThat(sts).isPresent();
        Map<String, Object> service = rendered.find("Service", host)
                .orElseThrow(() -> new AssertionError(overlay + ": DOJO_DB_HOST " + host + " names no Service"));
        assertThat(DeployFiles.string(sts.get(), "spec", "serviceName")).isEqualTo(host);
        assertThat(Rendered.selects(DeployFiles.at(service, "spec", "selector"), Rendered.podLabels(sts.get()))).isTrue();
        assertThat(DeployFiles.list(DeployFiles.at(service, "spec", "ports")))
                .anyMatch(p -> String.valueOf(DeployFiles.at(p, "port")).equals(config.get("DOJO_DB_PORT")));
        Container postgres = rendered.containers().stream().filter(c -> c.workloadName().equals("dojo-postgres")).findFirst().orElseThrow();
        assertThat(postgres.image()).isEqualTo("postgres:15");
        // The volume claim is mounted above PGDATA (a subdirectory, as initdb needs).
        List<Object> claims = DeployFiles.list(DeployFiles.at(sts.get(), "spec", "volumeClaimTemplates"));
        assertThat(claims).hasSize(1);
        String claim = DeployFiles.string(claims.get(0), "metadata", "name");
        String pgdata = rendered.env(postgres).get("PGDATA");
        assertThat(DeployFiles.list(postgres.body().get("volumeMounts")))
                .anyMatch(m -> claim.equals(DeployFiles.string(m, "name"))
                        && pgdata.startsWith(DeployFiles.string(m, "mountPath") + "/"));
        // The server's user, password and database are the ones the Dojo pods log in with.
        Map<String, String> keys = Map.of("POSTGRES_USER", "DOJO_DB_USER", "POSTGRES_PASSWORD", "DOJO_DB_PASSWORD",
                "POSTGRES_DB", "DOJO_DB_NAME");
        for (Object e : DeployFiles.list(postgres.body().get("env"))) {
            String name = DeployFiles.string(e, "name");
            if (keys.containsKey(name)) {
                Object ref = Optional.ofNullable(DeployFiles.at(e, "valueFrom", "secretKeyRef"))
                        .orElse(DeployFiles.at(e, "valueFrom", "configMapKeyRef"));
                assertThat(DeployFiles.string(ref, "key")).as(name).isEqualTo(keys.get(name));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void dojoContainersUseTheProjectsImageTheServicePortAndTheActuatorProbes(String overlay) {
        String version = DeployFiles.Pom.read().version();
        List<Container> dojo = render(overlay).dojoContainers();
        assertThat(dojo).isNotEmpty();
        for (Container c : dojo) {
            String repository = c.image().split(":")[0];
            assertThat(c.image()).as(c.toString()).isEqualTo(repository + ":" + version);
            List<Object> ports = DeployFiles.list(c.body().get("ports"));
            assertThat(ports).as(c + " declares the service port as http")
                    .anyMatch(p -> "http".equals(DeployFiles.string(p, "name"))
                            && String.valueOf(app.serverPort()).equals(DeployFiles.string(p, "containerPort")));
            assertProbe(c, "readinessProbe", Set.of(app.readinessPath()));
            assertProbe(c, "livenessProbe", Set.of(app.livenessPath()));
            if (c.body().get("startupProbe") != null) {
                assertProbe(c, "startupProbe", Set.of(app.livenessPath(), app.healthPath()));
            }
            assertThat(DeployFiles.at(c.body(), "resources", "requests", "cpu")).as(c + " cpu request").isNotNull();
            assertThat(DeployFiles.at(c.body(), "resources", "requests", "memory")).as(c + " memory request").isNotNull();
            assertThat(DeployFiles.at(c.body(), "resources", "limits", "memory")).as(c + " memory limit").isNotNull();
        }
    }

    private void assertProbe(Container c, String probe, Set<String> paths) {
        Object get = DeployFiles.at(c.body(), probe, "httpGet");
        assertThat(get).as(c + " " + probe + ".httpGet").isNotNull();
        assertThat(DeployFiles.string(get, "path")).as(c + " " + probe).isIn(paths);
        String port = DeployFiles.string(get, "port");
        assertThat(port.equals("http") || port.equals(String.valueOf(app.actuatorPort()))).as(c + " " + probe + " port " + port).isTrue();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyVariableIsOneTheReceivingContainerReadsAndEveryReferenceResolves(String overlay) {
        Rendered rendered = render(overlay);
        for (Container c : rendered.containers()) {
            Map<String, String> env = rendered.env(c);
            if (c.isDojo()) {
                assertThat(app.unknown(env.keySet(), EnvAllowList.DOJO_CONTAINER)).as(overlay + " " + c).isEmpty();
            } else {
                assertThat(EnvAllowList.POSTGRES).as(overlay + " " + c).containsAll(env.keySet());
            }
            for (Object e : DeployFiles.list(c.body().get("env"))) {
                for (String ref : List.of("configMapKeyRef", "secretKeyRef")) {
                    Object r = DeployFiles.at(e, "valueFrom", ref);
                    if (r == null) {
                        continue;
                    }
                    String kind = ref.equals("configMapKeyRef") ? "ConfigMap" : "Secret";
                    Map<String, Object> source = rendered.find(kind, DeployFiles.string(r, "name"))
                            .orElseThrow(() -> new AssertionError(c + " refers to a missing " + kind));
                    assertThat(Rendered.dataKeys(source)).as(c + " " + ref).containsKey(DeployFiles.string(r, "key"));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void apiAndWorkerPodsPlayTheirRolesOnTheSharedDatabase(String overlay) {
        Rendered rendered = render(overlay);
        for (Container c : rendered.dojoContainers()) {
            Map<String, String> env = rendered.env(c);
            assertThat(env).as(c.toString()).containsEntry("SPRING_PROFILES_ACTIVE", "postgres")
                    .containsKeys("DOJO_DB_HOST", "DOJO_DB_USER", "DOJO_DB_PASSWORD");
            assertThat(env.get("DOJO_ROLES")).as(c.toString())
                    .isEqualTo(c.workloadName().equals("dojo-api") ? "api" : "worker");
        }
        assertThat(DeployFiles.string(rendered.find("Deployment", "dojo-api").orElseThrow(), "spec", "replicas")).isEqualTo("2");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void workerPodsOutliveTheirShutdownGrace(String overlay) {
        Rendered rendered = render(overlay);
        int workers = 0;
        for (Container c : rendered.dojoContainers()) {
            Map<String, String> env = rendered.env(c);
            if (!env.getOrDefault("DOJO_ROLES", "api,worker").contains("worker")) {
                continue;
            }
            workers++;
            Object grace = c.podSpec().get("terminationGracePeriodSeconds");
            assertThat(grace).as(c + " terminationGracePeriodSeconds (the default is 30)").isNotNull();
            assertThat(Long.parseLong(String.valueOf(grace))).as(c.toString())
                    .isGreaterThan(app.shutdownGrace(env).toSeconds());
        }
        assertThat(workers).isGreaterThanOrEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void selectorsServicesAndBudgetsSelectExactlyWhatTheyMean(String overlay) {
        Rendered rendered = render(overlay);
        List<Map<String, Object>> workloads = rendered.workloads();
        for (Map<String, Object> w : workloads) {
            Object selector = DeployFiles.at(w, "spec", "selector", "matchLabels");
            for (Map<String, Object> other : workloads) {
                boolean same = other == w;
                assertThat(Rendered.selects(selector, Rendered.podLabels(other)))
                        .as(Kustomize.id(w) + " selects the pods of " + Kustomize.id(other)).isEqualTo(same);
            }
        }
        Map<String, Object> api = rendered.find("Deployment", "dojo-api").orElseThrow();
        Map<String, Object> service = rendered.find("Service", "dojo-api").orElseThrow();
        for (Map<String, Object> w : workloads) {
            assertThat(Rendered.selects(DeployFiles.at(service, "spec", "selector"), Rendered.podLabels(w)))
                    .as("Service dojo-api selects " + Kustomize.id(w)).isEqualTo(w == api);
        }
        for (Object port : DeployFiles.list(DeployFiles.at(service, "spec", "ports"))) {
            String target = DeployFiles.string(port, "targetPort");
            assertThat(rendered.dojoContainers().stream().filter(c -> c.workload() == api)
                    .flatMap(c -> DeployFiles.list(c.body().get("ports")).stream()))
                    .anyMatch(p -> target.equals(DeployFiles.string(p, "name")) || target.equals(DeployFiles.string(p, "containerPort")));
        }
        for (Map<String, Object> pdb : rendered.ofKind("PodDisruptionBudget")) {
            Object selector = DeployFiles.at(pdb, "spec", "selector", "matchLabels");
            List<Map<String, Object>> selected = workloads.stream()
                    .filter(w -> Rendered.selects(selector, Rendered.podLabels(w))).toList();
            assertThat(selected).as(Kustomize.id(pdb)).hasSize(1);
            Object minAvailable = DeployFiles.at(pdb, "spec", "minAvailable");
            if (minAvailable != null) {
                int replicas = Integer.parseInt(DeployFiles.string(selected.get(0), "spec", "replicas"));
                assertThat(Integer.parseInt(String.valueOf(minAvailable))).as(Kustomize.id(pdb) + " leaves room to drain a node")
                        .isLessThan(replicas);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyPodRunsAsNonRootAndDojoPodsAsTheImagesUser(String overlay) {
        String imageUser = Dockerfile.read(DeployFiles.path("Dockerfile")).stage("runtime").last("USER").orElseThrow()
                .resolved().trim().split(":")[0];
        Set<String> seen = new HashSet<>();
        for (Container c : render(overlay).containers()) {
            Map<String, Object> security = DeployFiles.map(c.podSpec().get("securityContext"));
            assertThat(security.get("runAsNonRoot")).as(c.toString()).isEqualTo(true);
            if (c.isDojo()) {
                assertThat(String.valueOf(security.get("runAsUser"))).as(c.toString()).isEqualTo(imageUser);
            }
            assertThat(DeployFiles.at(c.body(), "securityContext", "allowPrivilegeEscalation")).as(c.toString()).isEqualTo(false);
            seen.add(c.workloadName());
        }
        assertThat(seen).contains("dojo-api", "dojo-worker");
    }
}
