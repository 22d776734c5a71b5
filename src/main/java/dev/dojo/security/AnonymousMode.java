package dev.dojo.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Whether a request without a key acts as tenant {@code local} with every scope: while no key exists,
 * no bootstrap key is set and the node listens on a loopback address only (a laptop), or always when
 * {@code dojo.security.allow-anonymous} says so. A node that listens beyond loopback never falls back to
 * anonymous mode on its own: once its last key is revoked, requests without a key stay refused.
 */
@Component
class AnonymousMode {

    private static final Logger log = LoggerFactory.getLogger(AnonymousMode.class);

    private final KeyStore keys;
    private final SecuritySettings settings;
    /** Set by {@link ListenGuard} before the port opens; false (the safe answer) until then. */
    private volatile boolean loopbackOnly;

    AnonymousMode(KeyStore keys, SecuritySettings settings) {
        this.keys = keys;
        this.settings = settings;
        if (settings.allowAnonymous()) {
            log.warn("dojo.security.allow-anonymous=true: requests without a key act as tenant \"local\" with every scope, "
                    + "whoever sends them. Set dojo.security.bootstrap-key instead wherever others can reach this node.");
        }
    }

    /** Records whether the node listens on a loopback address only, as the web server is set up. */
    void listening(boolean loopbackOnly) {
        this.loopbackOnly = loopbackOnly;
    }

    boolean active() {
        return settings.allowAnonymous() || (loopbackOnly && settings.bootstrapKey() == null && !keys.anyActive());
    }
}
