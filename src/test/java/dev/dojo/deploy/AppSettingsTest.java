package dev.dojo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dojo.queue.QueueSettings;
import dev.dojo.worker.WorkerSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The ground the other deployment tests stand on: {@link AppSettings} really finds the service's
 * settings, and its "read by the service" answer is Spring's own.
 */
class AppSettingsTest {

    private final AppSettings app = AppSettings.get();

    @Test
    void theScanFindsTheSettingsRecordsAndThePlaceholders() {
        assertThat(app.settingsClasses()).containsAll(AppSettings.EXPECTED_SETTINGS_CLASSES);
        assertThat(app.properties()).contains(
                "dojo.data-dir", "dojo.roles", "dojo.node-id",
                "dojo.worker.concurrency", "dojo.worker.heartbeat-interval", "dojo.worker.device",
                "dojo.jobs.max-attempts", "dojo.prediction.cache-size",
                "DOJO_DB_HOST", "DOJO_DB_PASSWORD", "DOJO_DB_POOL_SIZE", "HOSTNAME", "spring.profiles.active");
    }

    @Test
    void environmentVariablesCountAsReadExactlyWhenSpringMapsThemToASetting() {
        assertThat(app.propertiesSetBy("DOJO_WORKER_HEARTBEAT_INTERVAL")).containsExactly("dojo.worker.heartbeat-interval");
        assertThat(app.propertiesSetBy("DOJO_WORKER_HEARTBEATINTERVAL")).containsExactly("dojo.worker.heartbeat-interval");
        assertThat(app.propertiesSetBy("DOJO_DATA_DIR")).containsExactly("dojo.data-dir");
        assertThat(app.propertiesSetBy("SPRING_PROFILES_ACTIVE")).containsExactly("spring.profiles.active");
        assertThat(app.isRead("DOJO_DB_HOST")).isTrue();
        assertThat(app.isRead("DOJO_WORKER_TURBO")).isFalse();
        assertThat(app.isRead("DOJO_WORKER")).isFalse();
        assertThat(app.isRead("DOJO_DB_HOSTNAME")).isFalse();
        assertThat(app.isRead("POSTGRES_PASSWORD")).isFalse();
        assertThat(app.propertiesSetBy("DOJO_SECURITY_BOOTSTRAP_KEY")).containsExactly("dojo.security.bootstrap-key");
        assertThat(app.propertiesSetBy("DOJO_SECURITY_METRICS_KEY")).containsExactly("dojo.security.metrics-key");
        assertThat(app.propertiesSetBy("SERVER_ADDRESS")).containsExactly("server.address");
        assertThat(app.isRead("DOJO_SECURITY_BOOTSTRAPKEY_FILE")).isFalse();
    }

    @Test
    void aVariableCountedAsReadReallyBindsIntoTheRecord() {
        SystemEnvironmentPropertySource env = new SystemEnvironmentPropertySource("systemEnvironment", Map.of(
                "DOJO_WORKER_HEARTBEAT_INTERVAL", "7s", "DOJO_QUEUE_LEASE", "45s", "DOJO_WORKER_DEVICE", "cpu"));
        Binder binder = new Binder(ConfigurationPropertySources.from(env));
        WorkerSettings bound = binder.bind("dojo.worker", WorkerSettings.class).get();
        assertThat(bound.heartbeatInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(bound.device()).isEqualTo(WorkerSettings.DeviceChoice.CPU);
        assertThat(binder.bind("dojo.queue", QueueSettings.class).get().lease()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void defaultsAreReadFromTheRecordsOwnAnnotations() {
        assertThat(AppSettings.defaultValue("dev.dojo.queue.QueueSettings", "lease")).contains("30s");
        Duration grace = app.defaultShutdownGrace();
        assertThat(grace).isEqualTo(AppSettings.defaultValue("dev.dojo.worker.WorkerSettings", "shutdownGrace")
                .map(org.springframework.boot.convert.DurationStyle::detectAndParse)
                .orElse(AppSettings.DOCUMENTED_SHUTDOWN_GRACE));
        assertThat(app.shutdownGrace(Map.of("DOJO_ROLES", "worker"))).isEqualTo(grace);
    }

    @Test
    void actuatorPathsComeFromApplicationYml() {
        assertThat(app.serverPort()).isEqualTo(8080);
        assertThat(app.actuatorPort()).isEqualTo(app.serverPort());
        assertThat(app.livenessPath()).isEqualTo("/actuator/health/liveness");
        assertThat(app.readinessPath()).isEqualTo("/actuator/health/readiness");
        assertThat(app.prometheusPath()).isEqualTo("/actuator/prometheus");
    }
}
