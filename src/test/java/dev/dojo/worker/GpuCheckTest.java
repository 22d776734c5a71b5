package dev.dojo.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import dev.dojo.worker.WorkerSettings.DeviceChoice;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@link GpuCheck} against the engine this machine really loads (DJL's PyTorch with the CPU-only
 * libtorch of pytorch-native-cpu, no GPU), and its decision on what DJL could report elsewhere.
 */
class GpuCheckTest {

    @Test
    void reportsTheCpuOnlyLibtorchThisMachineLoads() {
        GpuCheck.Found found = GpuCheck.inspect(Engine.getInstance());
        assertThat(found.engine()).isEqualTo("PyTorch " + Engine.getInstance().getVersion());
        assertThat(found.cuda()).isFalse();
        assertThat(found.libraryPath()).isNotNull();
        assertThat(Files.isDirectory(Path.of(found.libraryPath()))).isTrue();
        assertThat(found.loadedFlavor()).isEqualTo("cpu");
        assertThat(found.capabilities()).doesNotContain("CUDA").contains("MKL");
    }

    @Test
    void aGpuWorkerOnACpuOnlyLibtorchIsRefusedWithWhatDjlFound() {
        Engine engine = Engine.getInstance();
        assertThatThrownBy(() -> GpuCheck.usableGpus(DeviceChoice.GPU, engine))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dojo.worker.device=gpu but DJL loaded a CPU-only libtorch")
                .hasMessageContaining("engine PyTorch " + engine.getVersion())
                .hasMessageContaining(GpuCheck.inspect(engine).libraryPath())
                .hasMessageContaining("flavour cpu, CPU-only")
                .hasMessageContaining("0 GPU(s) visible");
        assertThat(GpuCheck.usableGpus(DeviceChoice.AUTO, engine)).isZero();
        assertThat(GpuCheck.usableGpus(DeviceChoice.CPU, engine)).isZero();
    }

    @Test
    void gpusCountOnlyWhenTheLibtorchWasBuiltWithCuda() {
        // DJL's silent fallback: the CUDA runtime sees two GPUs, the libtorch it loaded is the CPU build.
        GpuCheck.Found fellBack = new GpuCheck.Found("PyTorch 2.7.1", "/home/u/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64",
                "cu128", false, 2, "[MKL, MKLDNN, OPENMP]");
        assertThatThrownBy(() -> GpuCheck.usableGpus(DeviceChoice.GPU, fellBack))
                .hasMessageContaining("CPU-only libtorch")
                .hasMessageContaining("PYTORCH_FLAVOR cu128")
                .hasMessageContaining("flavour cpu")
                .hasMessageContaining("2 GPU(s) visible");
        assertThat(GpuCheck.usableGpus(DeviceChoice.AUTO, fellBack)).isZero();

        GpuCheck.Found noGpu = new GpuCheck.Found("PyTorch 2.7.1", "/opt/djl/pytorch/2.7.1-cu128-linux-x86_64", "cu128",
                true, 0, "[CUDA, CUDNN]");
        assertThatThrownBy(() -> GpuCheck.usableGpus(DeviceChoice.GPU, noGpu))
                .hasMessageContaining("DJL sees no GPU")
                .hasMessageContaining("flavour cu128, built with CUDA");
        assertThat(GpuCheck.usableGpus(DeviceChoice.AUTO, noGpu)).isZero();

        GpuCheck.Found fine = new GpuCheck.Found("PyTorch 2.7.1", "/opt/djl/pytorch/2.7.1-cu128-linux-x86_64", "cu128",
                true, 4, "[CUDA, CUDNN]");
        assertThat(GpuCheck.usableGpus(DeviceChoice.GPU, fine)).isEqualTo(4);
        assertThat(GpuCheck.usableGpus(DeviceChoice.AUTO, fine)).isEqualTo(4);
        assertThat(GpuCheck.usableGpus(DeviceChoice.CPU, fine)).isZero();
    }

    @Test
    void theFlavourComesFromDjlsCacheDirectoryName() {
        assertThat(flavour("/opt/djl/pytorch/2.7.1-cu128-linux-x86_64")).isEqualTo("cu128");
        assertThat(flavour("/opt/djl/pytorch/2.7.1-cu128-linux-x86_64/")).isEqualTo("cu128");
        assertThat(flavour("/root/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64")).isEqualTo("cpu");
        assertThat(flavour("/usr/local/libtorch")).isEqualTo("unknown");
        assertThat(flavour(null)).isEqualTo("unknown");
    }

    private static String flavour(String path) {
        return new GpuCheck.Found("PyTorch 2.7.1", path, null, false, 0, "[]").loadedFlavor();
    }
}
