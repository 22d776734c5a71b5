package dev.dojo.deploy;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.AbstractEnvironment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * What the service itself says about its configuration, read from its own classes and
 * application*.yml, so that the deployment files are checked against the service and not against
 * a copy of its settings that could drift.
 *
 * <ul>
 *   <li>the properties it binds: every component of every {@code @ConfigurationProperties} record
 *       under {@code dev.dojo} (found by class-path scanning, nested records included), as
 *       {@code prefix.dashed-name};
 *   <li>every {@code ${NAME}} / {@code ${NAME:default}} placeholder in
 *       {@code src/main/resources/application*.yml};
 *   <li>{@code spring.profiles.active}, and {@code server.address} (which the service's ListenGuard reads).
 * </ul>
 *
 * <p>An environment variable counts as read when Spring's own relaxed binding (a
 * {@link SystemEnvironmentPropertySource} with {@link ConfigurationPropertySources} attached, as in
 * the running service) resolves one of those names from it.
 */
final class AppSettings {

    /** The classes the brief names; the scan must find at least these. */
    static final List<String> EXPECTED_SETTINGS_CLASSES = List.of(
            "dev.dojo.system.NodeSettings", "dev.dojo.worker.WorkerSettings",
            "dev.dojo.job.JobSettings", "dev.dojo.prediction.PredictionSettings", "dev.dojo.queue.QueueSettings");

    /** Documented default of dojo.worker.shutdown-grace, used until WorkerSettings has it. */
    static final Duration DOCUMENTED_SHUTDOWN_GRACE = Duration.ofSeconds(30);

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::[^}]*)?}");

    private static AppSettings instance;

    private final Set<String> settingsClasses = new TreeSet<>();
    private final Set<String> properties = new LinkedHashSet<>();
    private final Map<String, Object> applicationYml;

    private AppSettings() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        for (BeanDefinition candidate : scanner.findCandidateComponents("dev.dojo")) {
            Class<?> type = load(candidate.getBeanClassName());
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            settingsClasses.add(type.getName());
            addProperties(prefix, type);
        }
        Path resources = DeployFiles.path("src/main/resources");
        try (var files = Files.list(resources)) {
            for (Path yml : files.filter(p -> p.getFileName().toString().matches("application.*\\.ya?ml")).toList()) {
                Matcher m = PLACEHOLDER.matcher(DeployFiles.read(yml));
                while (m.find()) {
                    properties.add(m.group(1).trim());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        properties.add("spring.profiles.active");
        // Spring Boot binds it, and the service reads it itself: dev.dojo.security.ListenGuard refuses a
        // non-loopback address while no key exists.
        properties.add("server.address");
        applicationYml = DeployFiles.flatten(DeployFiles.yamlMap(resources.resolve("application.yml")));
    }

    static synchronized AppSettings get() {
        if (instance == null) {
            instance = new AppSettings();
        }
        return instance;
    }

    private void addProperties(String prefix, Class<?> type) {
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                String name = prefix + "." + DataObjectPropertyName.toDashedForm(c.getName());
                if (c.getType().isRecord() && c.getType().getName().startsWith("dev.dojo.")) {
                    addProperties(name, c.getType());
                } else {
                    properties.add(name);
                }
            }
        } else {
            for (var field : type.getDeclaredFields()) {
                if (!java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                    properties.add(prefix + "." + DataObjectPropertyName.toDashedForm(field.getName()));
                }
            }
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    Set<String> settingsClasses() {
        return settingsClasses;
    }

    /** Property names (dotted) and placeholder names (as written) the service reads. */
    Set<String> properties() {
        return properties;
    }

    /** The properties an environment variable sets in the running service, by Spring's own rules; empty when none. */
    Set<String> propertiesSetBy(String environmentVariable) {
        // Only this one variable: not StandardEnvironment, which would read the real environment.
        AbstractEnvironment environment = new AbstractEnvironment() {};
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(environmentVariable, "x")));
        ConfigurationPropertySources.attach(environment);
        Set<String> set = new TreeSet<>();
        for (String property : properties) {
            if (environment.getProperty(property) != null) {
                set.add(property);
            }
        }
        return set;
    }

    boolean isRead(String environmentVariable) {
        return !propertiesSetBy(environmentVariable).isEmpty();
    }

    /** The variables among {@code names} that the service does not read and {@code allowed} does not list. */
    List<String> unknown(Collection<String> names, Set<String> allowed) {
        return names.stream().filter(n -> !allowed.contains(n) && !isRead(n)).sorted().toList();
    }

    int serverPort() {
        return Integer.parseInt(String.valueOf(applicationYml.getOrDefault("server.port", 8080)));
    }

    /** The actuator's port: management.server.port when set, else server.port. */
    int actuatorPort() {
        Object port = applicationYml.get("management.server.port");
        return port == null ? serverPort() : Integer.parseInt(String.valueOf(port));
    }

    String actuatorBasePath() {
        return String.valueOf(applicationYml.getOrDefault("management.endpoints.web.base-path", "/actuator"));
    }

    /** The web-exposed actuator endpoints (management.endpoints.web.exposure.include). */
    Set<String> exposedEndpoints() {
        Object include = applicationYml.get("management.endpoints.web.exposure.include");
        Set<String> set = new TreeSet<>();
        if (include instanceof List<?> l) {
            l.forEach(e -> set.add(String.valueOf(e).trim()));
        } else if (include != null) {
            for (String e : String.valueOf(include).split(",")) {
                set.add(e.trim());
            }
        }
        return set;
    }

    private void requireExposed(String endpoint) {
        if (!exposedEndpoints().contains(endpoint) && !exposedEndpoints().contains("*")) {
            throw new AssertionError("application.yml does not expose actuator endpoint " + endpoint);
        }
    }

    String healthPath() {
        requireExposed("health");
        return actuatorBasePath() + "/health";
    }

    /** /actuator/health/liveness; only there when the health probes are enabled in application.yml. */
    String livenessPath() {
        requireProbes();
        return healthPath() + "/liveness";
    }

    String readinessPath() {
        requireProbes();
        return healthPath() + "/readiness";
    }

    String prometheusPath() {
        requireExposed("prometheus");
        return actuatorBasePath() + "/prometheus";
    }

    private void requireProbes() {
        if (!Boolean.parseBoolean(String.valueOf(applicationYml.get("management.endpoint.health.probes.enabled")))) {
            throw new AssertionError("application.yml does not enable management.endpoint.health.probes");
        }
    }

    /**
     * The default of dojo.worker.shutdown-grace: the {@code @DefaultValue} of WorkerSettings'
     * {@code shutdownGrace} component once it exists, else the documented 30 s.
     */
    Duration defaultShutdownGrace() {
        return defaultValue("dev.dojo.worker.WorkerSettings", "shutdownGrace")
                .map(DurationStyle::detectAndParse)
                .orElse(DOCUMENTED_SHUTDOWN_GRACE);
    }

    /**
     * The {@code @DefaultValue} of a settings record's component. The annotation targets parameters
     * only, so it sits on the canonical constructor's parameter, not on the record component.
     */
    static Optional<String> defaultValue(String recordClass, String component) {
        Class<?> type = load(recordClass);
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            var parameters = type.getDeclaredConstructor(types).getParameters();
            for (int i = 0; i < components.length; i++) {
                DefaultValue dv = parameters[i].getAnnotation(DefaultValue.class);
                if (components[i].getName().equals(component) && dv != null && dv.value().length == 1) {
                    return Optional.of(dv.value()[0]);
                }
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(recordClass + " has no canonical constructor", e);
        }
        return Optional.empty();
    }

    /** The shutdown grace of a worker whose environment is {@code env}: its DOJO_WORKER_SHUTDOWN_GRACE, else the default. */
    Duration shutdownGrace(Map<String, String> env) {
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (propertiesSetBy(e.getKey()).contains("dojo.worker.shutdown-grace")) {
                return DurationStyle.detectAndParse(e.getValue());
            }
        }
        return defaultShutdownGrace();
    }
}
