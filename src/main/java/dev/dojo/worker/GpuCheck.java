package dev.dojo.worker;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPUs a worker may train on, as the loaded libtorch (not only the machine) allows.
 * <p>
 * Why: DJL counts GPUs with the CUDA runtime, independently of the libtorch it loaded, and when it
 * finds no libtorch for the requested {@code PYTORCH_FLAVOR} it falls back to a CPU build without
 * failing. A node can thus see GPUs and hold a CPU-only libtorch: every tensor placed on a GPU then
 * fails inside a job, or, with {@code auto}, the node quietly trains on the CPU. So {@code gpu}
 * refuses to start unless the libtorch was built with CUDA and at least one GPU is visible, with a
 * message saying what DJL found (engine and version, libtorch directory and flavour, the flavour
 * asked for, the capabilities, the GPU count); {@code auto} counts GPUs only when the libtorch can
 * use them, and says so when it cannot.
 */
public final class GpuCheck {

    private static final Logger log = LoggerFactory.getLogger(GpuCheck.class);

    /** DJL's cache layout for a libtorch: {@code <version>-[<build date>-]<flavour>-<os>-<arch>}. */
    private static final Pattern LIBTORCH_DIR = Pattern.compile("^[0-9][^-]*-(?:[0-9]{8}-)?([a-z0-9]+)-(?:linux|osx|win)-.+$");

    private GpuCheck() {}

    /**
     * What DJL found.
     *
     * @param engine the engine's name and version, e.g. "PyTorch 2.7.1"
     * @param libraryPath the libtorch directory DJL loaded, or null where the engine does not say
     * @param requestedFlavor {@code PYTORCH_FLAVOR} as DJL reads it (environment or system property), or null
     * @param cuda whether the loaded libtorch was built with CUDA ({@link StandardCapabilities#CUDA})
     * @param gpuCount the GPUs the CUDA runtime reports ({@link Engine#getGpuCount()})
     * @param capabilities those of CUDA, CUDNN, MKL, MKLDNN and OPENMP the engine reports, e.g. "[MKL, MKLDNN, OPENMP]"
     */
    public record Found(String engine, String libraryPath, String requestedFlavor, boolean cuda, int gpuCount,
                        String capabilities) {

        /** The flavour of the loaded libtorch, from its directory name ("cpu", "cu128"), or "unknown". */
        public String loadedFlavor() {
            if (libraryPath == null) {
                return "unknown";
            }
            String name = libraryPath.replaceAll("[/\\\\]+$", "");
            name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
            Matcher m = LIBTORCH_DIR.matcher(name);
            return m.matches() ? m.group(1) : "unknown";
        }

        /** One line for logs and start-up failures. */
        public String describe() {
            return "engine " + engine + ", libtorch " + (libraryPath == null ? "(path not reported)" : libraryPath)
                    + " (flavour " + loadedFlavor() + (cuda ? ", built with CUDA" : ", CPU-only") + ")"
                    + ", PYTORCH_FLAVOR " + (requestedFlavor == null ? "not set" : requestedFlavor)
                    + ", capabilities " + capabilities + ", " + gpuCount + " GPU(s) visible to the CUDA runtime";
        }
    }

    /** Asks DJL's default engine (loading it if it is not loaded yet). */
    public static Found inspect(Engine engine) {
        String path = null;
        if ("PyTorch".equals(engine.getEngineName())) {
            path = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
        }
        String requested = ai.djl.util.Utils.getEnvOrSystemProperty("PYTORCH_FLAVOR");
        List<String> capabilities = new ArrayList<>();
        for (String c : List.of(StandardCapabilities.CUDA, StandardCapabilities.CUDNN, StandardCapabilities.MKL,
                StandardCapabilities.MKLDNN, StandardCapabilities.OPENMP)) {
            if (engine.hasCapability(c)) {
                capabilities.add(c);
            }
        }
        return new Found(engine.getEngineName() + " " + engine.getVersion(), path, requested,
                engine.hasCapability(StandardCapabilities.CUDA), engine.getGpuCount(), capabilities.toString());
    }

    /**
     * The number of GPUs this node's workers may use. {@code cpu}: 0. {@code auto}: the visible GPUs
     * when the libtorch was built with CUDA, else 0 (logged as a warning when GPUs are visible).
     * {@code gpu}: the visible GPUs, or an {@link IllegalStateException} naming what DJL found when
     * the libtorch is CPU-only or no GPU is visible.
     */
    public static int usableGpus(WorkerSettings.DeviceChoice choice, Engine engine) {
        return choice == WorkerSettings.DeviceChoice.CPU ? 0 : usableGpus(choice, inspect(engine));
    }

    static int usableGpus(WorkerSettings.DeviceChoice choice, Found found) {
        switch (choice) {
            case CPU:
                return 0;
            case AUTO:
                if (!found.cuda() && found.gpuCount() > 0) {
                    log.warn("dojo.worker.device=auto: {} GPU(s) are visible but the libtorch is CPU-only, so this node "
                            + "trains on the CPU ({}). For the GPUs, use a CUDA libtorch (the dojo-gpu image, or "
                            + "PYTORCH_FLAVOR / PYTORCH_LIBRARY_PATH with a -Pgpu jar)", found.gpuCount(), found.describe());
                }
                return found.cuda() ? found.gpuCount() : 0;
            default:
                break;
        }
        if (!found.cuda()) {
            throw new IllegalStateException("dojo.worker.device=gpu but DJL loaded a CPU-only libtorch, so this worker "
                    + "would train on the CPU or fail on its first GPU tensor; DJL found: " + found.describe()
                    + ". DJL falls back to a CPU build when it finds no libtorch for PYTORCH_FLAVOR: use the dojo-gpu image "
                    + "(PYTORCH_LIBRARY_PATH points at its CUDA 12.8 libtorch), or a jar built with -Pgpu (no pytorch-native-cpu) "
                    + "with PYTORCH_FLAVOR=cu128 or PYTORCH_LIBRARY_PATH set; or set dojo.worker.device=cpu");
        }
        if (found.gpuCount() == 0) {
            throw new IllegalStateException("dojo.worker.device=gpu but DJL sees no GPU on this node; DJL found: "
                    + found.describe() + ". Check the NVIDIA driver (CUDA 12.8 needs 570 or newer), that the container was "
                    + "given a GPU (--gpus / nvidia.com/gpu) and CUDA_VISIBLE_DEVICES; or set dojo.worker.device=cpu");
        }
        log.info("GPU check: {}", found.describe());
        return found.gpuCount();
    }
}
