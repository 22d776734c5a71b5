package dev.dojo.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.stereotype.Component;

/**
 * The two halves of key authentication that Spring Security's {@code AuthenticationFilter} calls: the
 * converter reads {@code Authorization: Bearer <key>} off a request, and the provider checks the key
 * against the {@link KeyStore}. A request with no Authorization header is left unauthenticated, except
 * in anonymous local mode, where it is the local caller.
 */
@Component
class BearerKeys implements AuthenticationConverter, AuthenticationProvider {

    /** Longer than any key or bootstrap secret: refused before it is hashed. */
    private static final int MAX_LENGTH = 600;

    private final KeyStore keys;
    private final AnonymousMode anonymous;

    BearerKeys(KeyStore keys, AnonymousMode anonymous) {
        this.keys = keys;
        this.anonymous = anonymous;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return anonymous.active() ? KeyAuthentication.anonymousLocal() : null;
        }
        if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new BadCredentialsException("The Authorization header must be \"Bearer <key>\".");
        }
        String key = header.substring(7).trim();
        if (key.isEmpty() || key.length() > MAX_LENGTH || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new BadCredentialsException("The bearer key is malformed: keys look like dojo_<id>_<secret>.");
        }
        return KeyAuthentication.presented(key);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        KeyAuthentication presented = (KeyAuthentication) authentication;
        if (presented.key() == null) {
            return KeyAuthentication.of(Caller.local());
        }
        return keys.authenticate(presented.key()).map(KeyAuthentication::of)
                .orElseThrow(() -> new BadCredentialsException("The key is unknown or revoked."));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return KeyAuthentication.class.isAssignableFrom(authentication);
    }
}
