package dev.dojo.security;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code api_key} table. A key is {@code dojo_<id>_<secret>}: a 12-character id and a
 * 43-character secret, both base62, the secret drawn from {@link SecureRandom} (256 bits). Only the
 * secret's SHA-256 is stored; the secret itself is shown once, when the key is created. Lookups go
 * through a short cache, so a request costs no database round trip while a revocation still reaches
 * every node within {@link SecuritySettings#keyCacheTtl()}.
 */
@Component
public class KeyStore {

    /** The id of the row that holds the bootstrap key's hash. */
    public static final String BOOTSTRAP_ID = "bootstrap";
    /** The id of the row that holds the configured metrics key's hash. */
    public static final String METRICS_ID = "metrics";
    /** The tenant of the bootstrap key. */
    public static final String ADMIN_TENANT = "admin";

    private static final Pattern KEY = Pattern.compile("dojo_([0-9A-Za-z]{12})_([0-9A-Za-z]{43})");
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    /** A key as stored: never its secret. */
    public record ApiKey(String id, String tenant, String name, Set<Scope> scopes, Instant createdAt, Instant lastUsedAt,
                         Instant revokedAt) {}

    /** A key just created, with the secret that is shown this once. */
    public record CreatedKey(ApiKey key, String secret) {}

    private record Cached(Optional<Row> row, long until) {}

    /** What authentication needs of a row. */
    private record Row(String id, String tenant, Set<Scope> scopes, String hash, boolean revoked) {}

    private final JdbcTemplate jdbc;
    private final SecuritySettings settings;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Long> touched = new ConcurrentHashMap<>();
    private volatile long anyActiveUntil;
    private volatile boolean anyActive;

    KeyStore(JdbcTemplate jdbc, SecuritySettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /** Creates a key; the returned secret is the only copy there will ever be. */
    public CreatedKey create(String tenant, Set<Scope> scopes, String name) {
        String id = randomBase62(12);
        String key = "dojo_" + id + "_" + randomBase62(43);
        Instant now = Instant.now();
        jdbc.update("""
                INSERT INTO api_key (id, tenant, name, scopes, secret_sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)""",
                id, tenant, name, format(scopes), DigestUtils.sha256Hex(key), Timestamp.from(now));
        anyActiveUntil = 0;
        return new CreatedKey(new ApiKey(id, tenant, name, EnumSet.copyOf(scopes), now, null, null), key);
    }

    /** Every key, newest first (revoked ones included, marked), optionally of one tenant. */
    public List<ApiKey> list(String tenant) {
        return jdbc.query("SELECT id, tenant, name, scopes, created_at, last_used_at, revoked_at FROM api_key"
                        + (tenant == null ? "" : " WHERE tenant = ?") + " ORDER BY created_at DESC, id",
                (rs, n) -> new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), parse(rs.getString(4)),
                        instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7))),
                tenant == null ? new Object[0] : new Object[] {tenant});
    }

    /** Revokes the key; false when there is no such key or it was already revoked. */
    public boolean revoke(String id) {
        boolean revoked = jdbc.update("UPDATE api_key SET revoked_at = CURRENT_TIMESTAMP WHERE id = ? AND revoked_at IS NULL", id) == 1;
        cache.remove(id);
        anyActiveUntil = 0;
        return revoked;
    }

    public boolean exists(String id) {
        return !jdbc.queryForList("SELECT id FROM api_key WHERE id = ?", String.class, id).isEmpty();
    }

    /**
     * The caller a presented key stands for; empty when it is malformed, unknown, revoked or wrong.
     * A {@code dojo_<id>_<secret>} key is looked up by its id; any other value can only be one of
     * the configured keys (bootstrap, metrics).
     */
    public Optional<Caller> authenticate(String presented) {
        Matcher m = KEY.matcher(presented);
        for (String id : m.matches() ? List.of(m.group(1)) : List.of(BOOTSTRAP_ID, METRICS_ID)) {
            Optional<Row> row = cached(id);
            if (row.isPresent() && !row.get().revoked()
                    && MessageDigest.isEqual(row.get().hash().getBytes(), DigestUtils.sha256Hex(presented).getBytes())) {
                touch(id);
                return Optional.of(new Caller(row.get().tenant(), id, row.get().scopes()));
            }
        }
        return Optional.empty();
    }

    /** Whether any key that has not been revoked exists (cached like the keys themselves). */
    public boolean anyActive() {
        long now = System.nanoTime();
        if (now - anyActiveUntil > 0) {
            anyActive = !jdbc.queryForList("SELECT id FROM api_key WHERE revoked_at IS NULL LIMIT 1", String.class).isEmpty();
            anyActiveUntil = now + settings.keyCacheTtl().toNanos();
        }
        return anyActive;
    }

    /**
     * Makes sure the row {@code id} holds the hash of {@code secret}, as a key of tenant admin with
     * {@code scope} that is not revoked: the bootstrap key ({@link #BOOTSTRAP_ID}, admin) or the metrics
     * key ({@link #METRICS_ID}, metrics). Changing the setting and restarting rotates it.
     */
    public void ensureConfigured(String id, Scope scope, String setting, String secret) {
        String hash = DigestUtils.sha256Hex(secret);
        String scopes = format(EnumSet.of(scope));
        String update = "UPDATE api_key SET secret_sha256 = ?, tenant = ?, scopes = ?, revoked_at = NULL WHERE id = ?";
        if (jdbc.update(update, hash, ADMIN_TENANT, scopes, id) == 0) {
            try {
                jdbc.update("""
                        INSERT INTO api_key (id, tenant, name, scopes, secret_sha256, created_at)
                        VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP)""", id, ADMIN_TENANT, "configured key (" + setting + ")", scopes, hash);
            } catch (DuplicateKeyException raced) {
                // Another node, started at the same moment on the same database, inserted the row first
                // (a compose stack or a Deployment starts all its nodes at once): write this node's value.
                jdbc.update(update, hash, ADMIN_TENANT, scopes, id);
            }
        }
        cache.remove(id);
        anyActiveUntil = 0;
    }

    private Optional<Row> cached(String id) {
        long now = System.nanoTime();
        Cached c = cache.get(id);
        if (c == null || now - c.until() > 0) {
            Optional<Row> row = jdbc.query("SELECT id, tenant, scopes, secret_sha256, revoked_at FROM api_key WHERE id = ?",
                    (rs, n) -> new Row(rs.getString(1), rs.getString(2), parse(rs.getString(3)), rs.getString(4),
                            rs.getTimestamp(5) != null), id).stream().findFirst();
            c = new Cached(row, now + settings.keyCacheTtl().toNanos());
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(id, c);
        }
        return c.row();
    }

    /** Records that the key was used, at most once a minute per key and node. */
    private void touch(String id) {
        long now = System.nanoTime();
        Long last = touched.get(id);
        if (last == null || now - last > TOUCH_EVERY.toNanos()) {
            touched.put(id, now);
            jdbc.update("UPDATE api_key SET last_used_at = CURRENT_TIMESTAMP WHERE id = ?", id);
        }
    }

    private String randomBase62(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = BASE62.charAt(random.nextInt(BASE62.length()));
        }
        return new String(out);
    }

    private static String format(Set<Scope> scopes) {
        return scopes.stream().sorted().map(Scope::value).collect(Collectors.joining(" "));
    }

    private static Set<Scope> parse(String scopes) {
        Set<Scope> set = EnumSet.noneOf(Scope.class);
        Arrays.stream(scopes.split(" ")).map(Scope::parse).flatMap(Optional::stream).forEach(set::add);
        return set;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
