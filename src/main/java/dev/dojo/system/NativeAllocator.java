package dev.dojo.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Checks, at start-up, that glibc's allocator was tuned for libtorch before the JVM started.
 * <p>
 * Why: libtorch allocates every activation and gradient of every step with {@code malloc} and frees
 * it at the end of the step. With glibc's defaults, a JVM thread's allocations come from a 64 MB
 * per-thread arena, and freed memory goes back to the kernel, so each step faults its tensors' pages
 * in again, and training spends much of its time in the kernel (docs/performance.md has the figures).
 * One arena, a fixed 32 MB mmap threshold, a 1 GB trim threshold and transparent huge pages for the
 * heap keep the memory mapped from one step to the next. glibc reads these only at process start,
 * so they are set where the JVM is launched ({@code ./dojo} and {@code ./mvnw spring-boot:run}, the tests, the
 * images, the bench scripts); a node started without them works, only slower, and says so here.
 */
@Component
public class NativeAllocator {

    /** The setting, as the environment variable {@code GLIBC_TUNABLES} takes it. */
    public static final String TUNABLES = "glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=33554432"
            + ":glibc.malloc.trim_threshold=1073741824:glibc.malloc.hugetlb=1";

    private static final Logger log = LoggerFactory.getLogger(NativeAllocator.class);

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return;
        }
        List<String> missing = missing(System.getenv("GLIBC_TUNABLES"));
        if (missing.isEmpty()) {
            log.info("native allocator: GLIBC_TUNABLES holds {}", TUNABLES);
        } else {
            log.warn("native allocator: GLIBC_TUNABLES lacks {}; training on the CPU runs up to twice as slow. "
                    + "Start the JVM with GLIBC_TUNABLES={} (see the README's Performance section)", missing, TUNABLES);
        }
    }

    /** The tunables of {@link #TUNABLES} that {@code value} (a GLIBC_TUNABLES string, or null) does not set to the same value. */
    public static List<String> missing(String value) {
        Map<String, String> given = parse(value);
        List<String> missing = new ArrayList<>();
        parse(TUNABLES).forEach((name, wanted) -> {
            if (!wanted.equals(given.get(name))) {
                missing.add(name + "=" + wanted);
            }
        });
        return missing;
    }

    private static Map<String, String> parse(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(":")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return out;
    }
}
