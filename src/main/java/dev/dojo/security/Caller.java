package dev.dojo.security;

import dev.dojo.queue.TenantScope;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who sent a request: the tenant it acts for, the key it presented (null in anonymous local mode) and
 * that key's scopes. Every job query takes {@link #visibility()}, so a caller never loads another
 * tenant's job unless it is an admin.
 */
public record Caller(String tenant, String keyId, Set<Scope> scopes) {

    /** The tenant of anonymous local mode, and of every job created before keys existed. */
    public static final String LOCAL_TENANT = TenantScope.LOCAL;

    public Caller {
        scopes = scopes.isEmpty() ? EnumSet.noneOf(Scope.class) : EnumSet.copyOf(scopes);
    }

    /** Anonymous local mode: no key, tenant {@code local}, every scope. */
    public static Caller local() {
        return new Caller(LOCAL_TENANT, null, Scope.ALL);
    }

    /** Whether the caller holds the scope; {@code admin} holds them all. */
    public boolean has(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }

    public boolean isAdmin() {
        return scopes.contains(Scope.ADMIN);
    }

    /** The jobs this caller may see: its tenant's, or every tenant's for an admin. */
    public TenantScope visibility() {
        return isAdmin() ? TenantScope.ALL : TenantScope.of(tenant);
    }
}
