package dev.dojo.security;

import java.util.Collection;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request's bearer key before it is checked (credentials set, no caller), and the caller it stands for
 * afterwards (the caller as principal, its scopes as {@code SCOPE_<scope>} authorities, no credentials).
 * A request without a key in anonymous local mode carries no credentials at all.
 */
final class KeyAuthentication extends AbstractAuthenticationToken {

    private final String key;
    private final Caller caller;

    private KeyAuthentication(String key, Caller caller, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.key = key;
        this.caller = caller;
        setAuthenticated(caller != null);
    }

    /** A presented key, not checked yet. */
    static KeyAuthentication presented(String key) {
        return new KeyAuthentication(key, null, List.of());
    }

    /** No key, in anonymous local mode. */
    static KeyAuthentication anonymousLocal() {
        return new KeyAuthentication(null, null, List.of());
    }

    static KeyAuthentication of(Caller caller) {
        return new KeyAuthentication(null, caller,
                caller.scopes().stream().map(s -> new SimpleGrantedAuthority("SCOPE_" + s.value())).toList());
    }

    /** The presented key; null after authentication and in anonymous local mode. */
    String key() {
        return key;
    }

    @Override
    public Object getCredentials() {
        return key;
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller == null ? "" : caller.tenant() + (caller.keyId() == null ? "" : "/" + caller.keyId());
    }

    /** Never print the key. */
    @Override
    public String toString() {
        return "KeyAuthentication[" + getName() + "]";
    }
}
