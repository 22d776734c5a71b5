package dev.dojo.system;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Counts the requests that stay open without holding a thread (long polls, event streams) and
 * refuses one beyond a cap with a 429 problem that carries Retry-After. Each open request holds a
 * {@link Permit} until it ends.
 *
 * <p>Caps apply per node and per owner, the owner being the caller's tenant: one tenant cannot take
 * every place of the node ({@code dojo.limits.max-long-polls-per-tenant},
 * {@code dojo.limits.max-event-streams-per-tenant}).
 */
@Component
public class OpenRequests {

    /** What kind of open request: each has its own cap and its own setting. */
    public enum Kind {
        LONG_POLL("long polls", "dojo.limits.max-long-polls"),
        EVENT_STREAM("event streams", "dojo.limits.max-event-streams");

        private final String words;
        private final String setting;

        Kind(String words, String setting) {
            this.words = words;
            this.setting = setting;
        }

        String perTenantSetting() {
            return setting + "-per-tenant";
        }
    }

    /** A place held by one open request. Releasing it more than once does nothing. */
    public static final class Permit {

        private final Runnable release;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(Runnable release) {
            this.release = release;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                release.run();
            }
        }
    }

    private final LimitSettings settings;
    private final Map<Kind, AtomicInteger> perNode = new EnumMap<>(Kind.class);
    private final Map<Kind, Map<String, AtomicInteger>> perOwner = new EnumMap<>(Kind.class);

    public OpenRequests(LimitSettings settings, MeterRegistry meters) {
        this.settings = settings;
        for (Kind kind : Kind.values()) {
            AtomicInteger open = new AtomicInteger();
            perNode.put(kind, open);
            perOwner.put(kind, new ConcurrentHashMap<>());
            Gauge.builder("dojo.http.open.requests", open, AtomicInteger::get)
                    .description("Long polls and event streams open on this node")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                    .register(meters);
        }
    }

    /** A place for one more open request of {@code kind} owned by {@code owner}, or empty when none is left. */
    public Optional<Permit> tryOpen(Kind kind, String owner) {
        try {
            return Optional.of(open(kind, owner));
        } catch (DomainProblem full) {
            return Optional.empty();
        }
    }

    /**
     * Holds a place for one more open request of {@code kind} owned by {@code owner}, or throws a 429
     * problem when the node, or the owner, already has as many as its cap.
     *
     * @param owner the caller's tenant
     */
    public Permit open(Kind kind, String owner) {
        AtomicInteger node = perNode.get(kind);
        int nodeCap = perNodeCap(kind);
        if (node.incrementAndGet() > nodeCap) {
            node.decrementAndGet();
            throw tooMany(kind, "this node already has " + nodeCap + " open " + kind.words + " (" + kind.setting + ")");
        }
        Map<String, AtomicInteger> owners = perOwner.get(kind);
        AtomicInteger mine = owners.compute(owner, (k, v) -> {
            AtomicInteger count = v == null ? new AtomicInteger() : v;
            count.incrementAndGet();
            return count;
        });
        int ownerCap = perOwnerCap(kind, owner);
        if (mine.get() > ownerCap) {
            releaseOwner(owners, owner);
            node.decrementAndGet();
            throw tooMany(kind, "tenant " + owner + " already has " + ownerCap + " open " + kind.words
                    + " on this node (" + kind.perTenantSetting() + ")");
        }
        return new Permit(() -> {
            releaseOwner(owners, owner);
            node.decrementAndGet();
        });
    }

    /** How many requests of {@code kind} are open on this node now. */
    public int count(Kind kind) {
        return perNode.get(kind).get();
    }

    int perNodeCap(Kind kind) {
        return switch (kind) {
            case LONG_POLL -> settings.maxLongPolls();
            case EVENT_STREAM -> settings.maxEventStreams();
        };
    }

    /** The cap for one owner (tenant): the same for every tenant. */
    int perOwnerCap(Kind kind, String owner) {
        return switch (kind) {
            case LONG_POLL -> settings.maxLongPollsPerTenant();
            case EVENT_STREAM -> settings.maxEventStreamsPerTenant();
        };
    }

    private static void releaseOwner(Map<String, AtomicInteger> owners, String owner) {
        owners.computeIfPresent(owner, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    private DomainProblem tooMany(Kind kind, String why) {
        long seconds = settings.retryAfter().toSeconds();
        return DomainProblem.tooManyRequests("Too many open " + kind.words,
                "Refused: " + why + ". Retry in " + seconds + " s.", settings.retryAfter());
    }
}
