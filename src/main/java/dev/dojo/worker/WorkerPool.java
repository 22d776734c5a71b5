package dev.dojo.worker;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.dojo.job.JobEvents;
import dev.dojo.queue.Claim;
import dev.dojo.queue.FencedOutException;
import dev.dojo.queue.JobQueue;
import dev.dojo.system.NodeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * This node's worker threads. Each claims a job from the database, runs it, and claims again; an
 * idle one sleeps until the poll interval passes or a local submit wakes it. Nothing is queued in
 * memory: the database is the queue.
 */
@Component
class WorkerPool implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final JobQueue queue;
    private final JobRunner runner;
    private final WorkerSettings settings;
    private final NodeSettings node;
    private final WorkerRegistry registry;
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    private final Map<String, String> slots = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private final List<Thread> threads = new ArrayList<>();
    private final WarmUp warmUps;
    private ScheduledExecutorService heartbeats;
    private volatile boolean running;
    private volatile boolean submittedHere;
    private volatile WarmUp.Result warmUp;

    /** A job this node is training right now. */
    private record Active(Claim claim, FencedListener listener) {}

    WorkerPool(JobQueue queue, JobRunner runner, WorkerSettings settings, NodeSettings node, WorkerRegistry registry,
               WarmUp warmUps) {
        this.warmUps = warmUps;
        this.registry = registry;
        this.queue = queue;
        this.runner = runner;
        this.settings = settings;
        this.node = node;
    }

    @Override
    public void start() {
        if (!node.isWorker()) {
            return;
        }
        // Fail the node now, with the reason, rather than let a worker thread die where no one looks.
        List<List<Device>> devices = devices(settings.device(), settings.concurrency(), Engine.getInstance().getGpuCount());
        int orphans = queue.requeueOrphans(node.nodeId());
        if (orphans > 0) {
            log.info("requeued {} job(s) this node ({}) left RUNNING", orphans, node.nodeId());
        }
        running = true;
        for (int slot = 0; slot < settings.concurrency(); slot++) {
            int s = slot;
            List<Device> slotDevices = devices.get(slot);
            Thread t = new Thread(() -> loop(s, slotDevices), "dojo-worker-" + slot);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dojo-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = settings.heartbeatInterval().toMillis();
        heartbeats.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    private void loop(int slot, List<Device> slotDevices) {
        String workerId = node.nodeId() + "/" + slot;
        Device device = slotDevices.get(0);
        // A GPU slot offers all its GPUs: a job asking for k of them trains data-parallel on the first k.
        int gpus = device.isGpu() ? slotDevices.size() : 0;
        boolean registered = false;
        while (running) {
            try {
                if (!registered) {
                    registry.register(workerId, node.nodeId(), describe(slotDevices), gpus);
                    slots.put(workerId, "");
                    registered = true;
                    if (slot == 0) {
                        warmUp(workerId, device, gpus);
                    }
                }
                Optional<Claim> claim = queue.claim(workerId, need -> describe(slotDevices.subList(0, Math.max(1, need))), gpus,
                        settings.lease());
                if (claim.isPresent()) {
                    Claim c = claim.get();
                    slots.put(workerId, c.jobId());
                    runner.run(c, slotDevices, listener -> active.put(c.jobId(), new Active(c, listener)));
                    active.remove(c.jobId());
                    slots.put(workerId, "");
                } else {
                    awaitWork();
                }
            } catch (RuntimeException e) {
                // The database may be away for a moment; keep the thread and try again after a poll.
                log.warn("worker {} could not claim: {}", workerId, e.toString());
                awaitWork();
            }
        }
    }

    /**
     * Rehearses a job before the first claim (see {@link WarmUp}). Real work cuts it short: a job
     * submitted on this node at once, one submitted elsewhere within a poll interval.
     */
    private void warmUp(String workerId, Device device, int gpus) {
        if (settings.warmUpSteps() == 0) {
            return;
        }
        try {
            String where = describe(List.of(device));
            long every = settings.pollInterval().toNanos();
            long[] lastLook = {System.nanoTime()};
            BooleanSupplier workWaits = () -> {
                if (!running || submittedHere) {
                    return true;
                }
                long now = System.nanoTime();
                if (now - lastLook[0] < every) {
                    return false;
                }
                lastLook[0] = now;
                return queue.hasQueued(gpus);
            };
            WarmUp.Result r = warmUps.run(workerId, where, settings.warmUpSteps(), device, workWaits);
            warmUp = r;
            log.info("warm-up: {} sine steps on {} in {} ms, {} metric rows and {} checkpoints written and rolled back{}",
                    r.steps(), where, r.took().toMillis(), r.metricRows(), r.checkpoints(),
                    r.cutShort() ? " (cut short: work arrived)" : "");
        } catch (RuntimeException e) {
            log.warn("warm-up failed; the first job will run cold: {}", e.toString());
        }
    }

    /** The warm-up this node ran, once it has ended; null before that or when it is off. */
    WarmUp.Result warmUpResult() {
        return warmUp;
    }

    /**
     * The devices of each slot. {@code gpu}: the node's GPUs shared out evenly, {@code gpus /
     * concurrency} to a slot and at least one, so that no two jobs share a GPU's memory; a slot with
     * several GPUs trains a job that asks for them data-parallel. {@code auto}: the same when there
     * are at least as many GPUs as slots, else one GPU to a slot while they last and the CPU for the rest.
     */
    static List<List<Device>> devices(WorkerSettings.DeviceChoice choice, int concurrency, int gpus) {
        if (choice == WorkerSettings.DeviceChoice.GPU && gpus == 0) {
            throw new IllegalStateException("dojo.worker.device=gpu but DJL sees no GPU on this node; check the NVIDIA "
                    + "driver, that the container was given a GPU (--gpus / nvidia.com/gpu), and that a CUDA libtorch is "
                    + "in use (PYTORCH_FLAVOR / PYTORCH_LIBRARY_PATH), or set dojo.worker.device=cpu");
        }
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

    private void awaitWork() {
        lock.lock();
        try {
            if (running) {
                workArrived.await(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void onSubmitted(JobEvents.Submitted event) {
        if (event != null && !settings.wakeOnSubmit()) {
            return;
        }
        if (event != null) {
            submittedHere = true;
        }
        lock.lock();
        try {
            workArrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @EventListener
    void onCancelRequested(JobEvents.CancelRequested event) {
        Active a = active.get(event.jobId());
        if (a != null) {
            a.listener().requestStop(StopReason.CANCELLED);
        }
    }

    private void heartbeat() {
        slots.forEach((workerId, jobId) -> {
            try {
                registry.beat(workerId, jobId.isEmpty() ? null : jobId);
            } catch (RuntimeException e) {
                log.debug("worker heartbeat failed: {}", e.toString());
            }
        });
        for (Active a : active.values()) {
            try {
                if (queue.heartbeat(a.claim(), settings.lease()).cancelRequested()) {
                    a.listener().requestStop(StopReason.CANCELLED);
                }
            } catch (FencedOutException e) {
                log.warn("job {} attempt {}: heartbeat refused, another attempt holds the job; stopping it",
                        a.claim().jobId(), a.claim().attempt());
                a.listener().refused();
            } catch (RuntimeException e) {
                log.warn("heartbeat for job {} failed: {}", a.claim().jobId(), e.toString());
            }
        }
    }

    /**
     * A graceful stop (SIGTERM): each running job checkpoints at its next step and goes back to
     * the queue without spending an attempt. Waits at most {@code shutdownGrace}; a job still
     * running after that is left to its lease.
     */
    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        active.values().forEach(a -> a.listener().requestStop(StopReason.SHUTDOWN));
        onSubmitted(null);
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        slots.keySet().forEach(workerId -> {
            try {
                registry.stopped(workerId);
            } catch (RuntimeException e) {
                log.debug("could not mark {} stopped: {}", workerId, e.toString());
            }
        });
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
