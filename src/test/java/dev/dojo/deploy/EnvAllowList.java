package dev.dojo.deploy;

import java.util.HashSet;
import java.util.Set;

/**
 * The only environment variables the deployment files may set that the service itself does not
 * read, each with who reads it. Every other variable must be one that {@link AppSettings} finds
 * the service reading; the tests fail on anything else.
 */
final class EnvAllowList {

    private EnvAllowList() {}

    /** On Dojo containers: the Dockerfile's runtime stages, compose's Dojo services, k8s' Dojo containers. */
    static final Set<String> DOJO_CONTAINER = Set.of(
            // The JVM itself reads it before the service starts (heap share of the container's memory,
            // exit on OutOfMemoryError so the orchestrator restarts the node).
            "JAVA_TOOL_OPTIONS",
            // DJL (ai.djl.util.Utils.getCacheDir): where the image build left the unpacked libtorch.
            "DJL_CACHE_DIR",
            // DJL (Utils.isOfflineMode): any download attempted at run time fails instead.
            "DJL_OFFLINE",
            // DJL (Ec2Utils.callHome): no telemetry request at engine start.
            "OPT_OUT_TRACKING",
            // DJL's PyTorch engine (ai.djl.pytorch.jni.LibUtils): which libtorch to load, and from where
            // (the GPU image: the CUDA build fetched at image build time).
            "PYTORCH_VERSION", "PYTORCH_FLAVOR", "PYTORCH_LIBRARY_PATH",
            // glibc's malloc, at process start: the allocator tuned for libtorch (dev.dojo.system.NativeAllocator).
            "GLIBC_TUNABLES");

    /** In the Dockerfile only: the GPU image copies a JRE onto a CUDA base and puts it on the PATH. */
    static final Set<String> IMAGE_ONLY = Set.of("JAVA_HOME", "PATH");

    /** On PostgreSQL containers: read by the official postgres image's entrypoint (PGDATA by PostgreSQL too). */
    static final Set<String> POSTGRES = Set.of("POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD", "PGDATA");

    /**
     * On the Prometheus container of docker-compose.yml: read by the entrypoint that compose gives it,
     * which writes the key into the file prometheus.yml names as credentials_file, then unsets it.
     */
    static final Set<String> PROMETHEUS = Set.of("DOJO_SECURITY_METRICS_KEY");

    static Set<String> dojoImage() {
        Set<String> set = new HashSet<>(DOJO_CONTAINER);
        set.addAll(IMAGE_ONLY);
        return set;
    }
}
