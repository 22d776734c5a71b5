package dev.dojo.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Secure by default with nothing to set up on a laptop. Before the server opens its port: the bootstrap
 * and metrics keys, when set, are made sure of; and while no key exists (and anonymous access was not asked for) the
 * node listens on 127.0.0.1 only, or, when told to listen anywhere else, refuses to start and says what
 * to set.
 */
@Component
class ListenGuard implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ListenGuard.class);

    private final KeyStore keys;
    private final SecuritySettings settings;
    private final Environment environment;
    private final AnonymousMode anonymous;

    ListenGuard(KeyStore keys, SecuritySettings settings, Environment environment, AnonymousMode anonymous) {
        this.keys = keys;
        this.settings = settings;
        this.environment = environment;
        this.anonymous = anonymous;
    }

    @Override
    public void customize(ConfigurableWebServerFactory factory) {
        String address = environment.getProperty("server.address");
        boolean loopback = address == null || address.isBlank() || isLoopback(address);
        // Unset, the address is loopback only while no key exists (set below); with keys, every interface.
        anonymous.listening(address != null && !address.isBlank() && loopback);
        if (settings.metricsKey() != null) {
            keys.ensureConfigured(KeyStore.METRICS_ID, Scope.METRICS, "dojo.security.metrics-key", settings.metricsKey());
            log.info("metrics key (dojo.security.metrics-key) is in place");
        }
        if (settings.bootstrapKey() != null) {
            keys.ensureConfigured(KeyStore.BOOTSTRAP_ID, Scope.ADMIN, "dojo.security.bootstrap-key", settings.bootstrapKey());
            log.info("bootstrap admin key (dojo.security.bootstrap-key) is in place for tenant {}", KeyStore.ADMIN_TENANT);
            return;
        }
        if (settings.allowAnonymous() || keys.anyActive()) {
            return;
        }
        if (address == null || address.isBlank()) {
            factory.setAddress(InetAddress.getLoopbackAddress());
            anonymous.listening(true);
            log.info("no API key exists and no bootstrap key is set: listening on {} only, where every request acts as "
                    + "tenant \"local\" with every scope. Create a key (POST /api/keys) or set dojo.security.bootstrap-key "
                    + "to listen anywhere else.", InetAddress.getLoopbackAddress().getHostAddress());
            return;
        }
        if (!loopback) {
            throw new IllegalStateException("server.address=" + address + " would open Dojo to the network while no API key "
                    + "exists. Set dojo.security.bootstrap-key (DOJO_SECURITY_BOOTSTRAP_KEY, at least "
                    + SecuritySettings.MIN_BOOTSTRAP_LENGTH + " characters) to start with an admin key, create a key first on "
                    + "127.0.0.1 (POST /api/keys), or set dojo.security.allow-anonymous=true to accept anyone.");
        }
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** After Spring Boot's own customizer, which applies server.address. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
