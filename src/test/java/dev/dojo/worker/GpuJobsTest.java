package dev.dojo.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.dojo.DojoApplication;
import dev.dojo.support.Api;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** GPU jobs on this CPU-only machine: they wait with a reason, CPU jobs pass them, and a gpu node refuses to start. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dojo.data-dir=target/test-data/observe-${random.uuid}", "dojo.node-id=observe-test"})
class GpuJobsTest {

    @LocalServerPort
    int port;

    @Test
    void aGpuJobWaitsWithAReasonWhileLaterCpuJobsRun() {
        Api api = new Api(port);
        String gpuJob = api.submit("{\"task\":\"sine-regression\",\"gpus\":1,\"hyperparameters\":{\"epochs\":5,\"hiddenUnits\":[8]}}");
        String cpuJob = api.submit("{\"task\":\"sine-regression\",\"hyperparameters\":{\"epochs\":5,\"hiddenUnits\":[8]}}");
        JsonNode cpu = api.await(cpuJob, 120);
        assertThat(cpu.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(cpu.get("device").asString()).isEqualTo("cpu");
        assertThat(cpu.at("/spec/gpus").asInt()).isZero();

        JsonNode gpu = api.get("/api/jobs/" + gpuJob).json();
        assertThat(gpu.get("status").asString()).isEqualTo("QUEUED");
        assertThat(gpu.get("attempt").asInt()).isZero();
        assertThat(gpu.at("/spec/gpus").asInt()).isEqualTo(1);
        assertThat(gpu.get("pendingReason").asString()).isEqualTo("needs 1 GPU; no live worker has one");
        assertThat(cpu.get("pendingReason").isNull()).isTrue();

        JsonNode two = api.get("/api/jobs/" + api.submit("{\"task\":\"sine-regression\",\"gpus\":2}")).json();
        assertThat(two.get("pendingReason").asString()).startsWith("needs 2 GPUs on one worker; no live worker offers that many");
        // Cancel them so that they do not linger for other tests sharing this context.
        assertThat(api.post("/api/jobs/" + gpuJob + "/cancel", null).status()).isEqualTo(200);
        assertThat(api.post("/api/jobs/" + two.get("id").asString() + "/cancel", null).status()).isEqualTo(200);
    }

    @Test
    void gpusOutsideZeroToEightIsA400NamingTheField() {
        Api api = new Api(port);
        for (String gpus : List.of("99", "-1")) {
            Api.Response r = api.post("/api/jobs", "{\"task\":\"sine-regression\",\"gpus\":" + gpus + "}");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().at("/errors/0/field").asString()).isEqualTo("gpus");
            assertThat(r.json().at("/errors/0/message").asString()).contains("between 0").contains(gpus);
        }
        assertThat(api.post("/api/jobs", "{\"task\":\"sine-regression\",\"gpus\":1.5}").json().at("/errors/0/field").asString())
                .isEqualTo("gpus");
    }

    @Test
    void aGpuNodeWithoutAGpuFailsAtStartWithTheReason() {
        // Command-line arguments: builder properties would be defaults, below application.yml.
        assertThatThrownBy(() -> new SpringApplicationBuilder(DojoApplication.class).web(WebApplicationType.NONE)
                .run("--dojo.data-dir=target/test-data/observe-gpu-" + System.nanoTime(), "--dojo.node-id=gpu-less",
                        "--dojo.worker.device=gpu", "--dojo.roles=worker").close())
                .hasStackTraceContaining("dojo.worker.device=gpu but DJL loaded a CPU-only libtorch")
                .hasStackTraceContaining("flavour cpu, CPU-only");
    }

    @Test
    void eachGpuSlotHasGpusOfItsOwn() {
        Device cpu = Device.cpu();
        assertThat(SlotDevices.allocate(WorkerSettings.DeviceChoice.GPU, 2, 4))
                .containsExactly(List.of(Device.gpu(0), Device.gpu(1)), List.of(Device.gpu(2), Device.gpu(3)));
        assertThat(SlotDevices.allocate(WorkerSettings.DeviceChoice.GPU, 4, 4))
                .containsExactly(List.of(Device.gpu(0)), List.of(Device.gpu(1)), List.of(Device.gpu(2)), List.of(Device.gpu(3)));
        assertThat(SlotDevices.allocate(WorkerSettings.DeviceChoice.AUTO, 1, 3))
                .containsExactly(List.of(Device.gpu(0), Device.gpu(1), Device.gpu(2)));
        assertThat(SlotDevices.allocate(WorkerSettings.DeviceChoice.AUTO, 3, 2))
                .containsExactly(List.of(Device.gpu(0)), List.of(Device.gpu(1)), List.of(cpu));
        assertThat(SlotDevices.allocate(WorkerSettings.DeviceChoice.AUTO, 2, 0)).containsExactly(List.of(cpu), List.of(cpu));
        assertThat(SlotDevices.allocate(WorkerSettings.DeviceChoice.CPU, 1, 8)).containsExactly(List.of(cpu));
        assertThatThrownBy(() -> SlotDevices.allocate(WorkerSettings.DeviceChoice.GPU, 3, 2))
                .hasMessageContaining("dojo.worker.concurrency=3 but this node has 2 GPU(s)");
        assertThat(SlotDevices.describe(List.of(Device.gpu(2), Device.gpu(3)))).isEqualTo("gpu:2-3");
        assertThat(SlotDevices.describe(List.of(Device.gpu(1)))).isEqualTo("gpu:1");
        assertThat(SlotDevices.describe(List.of(cpu))).isEqualTo("cpu");
    }
}
