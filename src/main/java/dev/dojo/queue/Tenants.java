package dev.dojo.queue;

import static dev.dojo.queue.JobStatus.QUEUED;
import static dev.dojo.queue.JobStatus.RUNNING;

import dev.dojo.system.Database;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code tenant} table: each tenant's limits (null: {@link QuotaSettings}' defaults), and when its
 * last job started, which fair share reads. A submit locks its tenant's row, so that two submits at
 * once cannot both take a tenant's last queue place.
 */
@Component
public class Tenants {

    /** A tenant's limits as an admin set them (null: the default applies). */
    public record Overrides(Integer maxQueuedJobs, Integer maxRunningJobs) {}

    /** A tenant's limits in force and what it uses of them now. */
    public record Usage(String tenant, int queued, int running, int maxQueuedJobs, Integer maxRunningJobs, Overrides overrides) {}

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final Database database;
    private final QuotaSettings defaults;

    Tenants(JdbcTemplate jdbc, NamedParameterJdbcTemplate named, Database database, QuotaSettings defaults) {
        this.jdbc = jdbc;
        this.named = named;
        this.database = database;
        this.defaults = defaults;
    }

    /** Adds the tenant's row if it has none yet; safe when two nodes do it at once. */
    void ensure(String tenant) {
        if (database.isPostgres()) {
            jdbc.update("INSERT INTO tenant (tenant) VALUES (?) ON CONFLICT (tenant) DO NOTHING", tenant);
        } else {
            jdbc.update("MERGE INTO tenant (tenant) KEY (tenant) VALUES (?)", tenant);
        }
    }

    /** Locks the tenant's row until the caller's transaction ends, and returns its overrides. */
    Overrides lock(String tenant) {
        ensure(tenant);
        return jdbc.queryForObject("SELECT max_queued_jobs, max_running_jobs FROM tenant WHERE tenant = ? FOR UPDATE",
                (rs, n) -> new Overrides((Integer) rs.getObject(1), (Integer) rs.getObject(2)), tenant);
    }

    int maxQueued(Overrides o) {
        return o.maxQueuedJobs() != null ? o.maxQueuedJobs() : defaults.maxQueuedJobs();
    }

    /** The running limit in force, or null for none. */
    Integer maxRunning(Overrides o) {
        return o.maxRunningJobs() != null ? o.maxRunningJobs() : defaults.maxRunningJobs();
    }

    int count(String tenant, JobStatus status) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM training_job WHERE tenant = ? AND " + status.condition(),
                Integer.class, tenant);
        return n == null ? 0 : n;
    }

    /** Sets (or, with nulls, clears) a tenant's overrides. */
    @Transactional
    public Usage put(String tenant, Overrides overrides) {
        lock(tenant);
        jdbc.update("UPDATE tenant SET max_queued_jobs = ?, max_running_jobs = ? WHERE tenant = ?",
                overrides.maxQueuedJobs(), overrides.maxRunningJobs(), tenant);
        return usage(tenant);
    }

    /** A tenant's limits in force and its queued and running jobs now; a tenant never seen has the defaults and none. */
    @Transactional(readOnly = true)
    public Usage usage(String tenant) {
        List<Overrides> rows = jdbc.query("SELECT max_queued_jobs, max_running_jobs FROM tenant WHERE tenant = ?",
                (rs, n) -> new Overrides((Integer) rs.getObject(1), (Integer) rs.getObject(2)), tenant);
        Overrides o = rows.isEmpty() ? new Overrides(null, null) : rows.get(0);
        return new Usage(tenant, count(tenant, QUEUED), count(tenant, RUNNING), maxQueued(o), maxRunning(o), o);
    }

    /**
     * The tenants among {@code tenants} that run as many jobs as their running limit allows, with that
     * limit: what holds their queued jobs back. Two statements whatever the number of tenants.
     */
    @Transactional(readOnly = true)
    public Map<String, Integer> atRunningLimit(Collection<String> tenants) {
        Map<String, Integer> full = new HashMap<>();
        if (tenants.isEmpty()) {
            return full;
        }
        Map<String, Integer> running = new HashMap<>();
        Map<String, Overrides> overrides = new HashMap<>();
        named.query("SELECT tenant, COUNT(*) FROM training_job WHERE tenant IN (:tenants) AND " + RUNNING.condition()
                + " GROUP BY tenant", Map.of("tenants", tenants), rs -> { running.put(rs.getString(1), rs.getInt(2)); });
        named.query("SELECT tenant, max_queued_jobs, max_running_jobs FROM tenant WHERE tenant IN (:tenants)", Map.of("tenants", tenants),
                rs -> { overrides.put(rs.getString(1), new Overrides((Integer) rs.getObject(2), (Integer) rs.getObject(3))); });
        for (String t : tenants) {
            Integer limit = maxRunning(overrides.getOrDefault(t, new Overrides(null, null)));
            if (limit != null && running.getOrDefault(t, 0) >= limit) {
                full.put(t, limit);
            }
        }
        return full;
    }
}
