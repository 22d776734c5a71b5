package dev.dojo.queue;

/**
 * Which tenants' jobs a query may see: one tenant's, or every tenant's ({@link #ALL}, for an admin).
 * Every read of job rows for a caller takes one, so another tenant's job is never loaded.
 */
public record TenantScope(String tenant) {

    /** The tenant of anonymous local mode, and of jobs created before keys existed. */
    public static final String LOCAL = "local";

    /** Every tenant's jobs. */
    public static final TenantScope ALL = new TenantScope(null);

    public static TenantScope of(String tenant) {
        if (tenant == null) {
            throw new IllegalArgumentException("a tenant scope needs a tenant; use ALL for every tenant");
        }
        return new TenantScope(tenant);
    }

    public boolean isAll() {
        return tenant == null;
    }

    /** Whether a job of {@code jobTenant} is visible in this scope. */
    public boolean sees(String jobTenant) {
        return isAll() || tenant.equals(jobTenant);
    }
}
