package dev.dojo.worker;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;

/** How a node's devices are shared out among its worker slots, and how a set of devices is named. */
final class SlotDevices {

    private SlotDevices() {}

    /**
     * The devices of each slot. {@code gpu}: the node's GPUs shared out evenly, {@code gpus /
     * concurrency} to a slot and at least one, so that no two jobs share a GPU's memory; a slot with
     * several GPUs trains a job that asks for them data-parallel. {@code auto}: the same when there
     * are at least as many GPUs as slots, else one GPU to a slot while they last and the CPU for the rest.
     *
     * @param gpus the GPUs {@link GpuCheck} found usable (with {@code gpu} it has already refused a node with none)
     * @throws IllegalStateException when {@code gpu} is asked for and the node has fewer GPUs than slots
     */
    static List<List<Device>> allocate(WorkerSettings.DeviceChoice choice, int concurrency, int gpus) {
        if (choice == WorkerSettings.DeviceChoice.GPU && concurrency > gpus) {
            throw new IllegalStateException("dojo.worker.concurrency=" + concurrency + " but this node has " + gpus
                    + " GPU(s); with dojo.worker.device=gpu each slot needs a GPU of its own, so set concurrency to at most " + gpus);
        }
        List<List<Device>> devices = new ArrayList<>();
        int perSlot = gpus >= concurrency ? gpus / concurrency : 1;
        for (int slot = 0; slot < concurrency; slot++) {
            boolean gpu = choice != WorkerSettings.DeviceChoice.CPU && slot < gpus;
            List<Device> mine = new ArrayList<>();
            for (int i = 0; i < (gpu ? perSlot : 1); i++) {
                mine.add(gpu ? Device.gpu(slot * perSlot + i) : Device.cpu());
            }
            devices.add(List.copyOf(mine));
        }
        return devices;
    }

    /**
     * "cpu", "gpu:N" for the N-th GPU, or "gpu:N-M" for GPUs N to M (a slot's GPUs, or a data-parallel
     * job's, are always consecutive): the name the job view shows.
     */
    static String describe(List<Device> devices) {
        Device first = devices.get(0);
        if (!first.isGpu()) {
            return "cpu";
        }
        int last = devices.get(devices.size() - 1).getDeviceId();
        return "gpu:" + first.getDeviceId() + (last == first.getDeviceId() ? "" : "-" + last);
    }
}
