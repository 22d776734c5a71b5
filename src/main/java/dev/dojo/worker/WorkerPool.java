package dev.dojo.worker;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.dojo.job.JobEvents;
import dev.dojo.queue.Claim;
import dev.dojo.queue.JobQueue;
import dev.dojo.queue.QueueSettings;
import dev.dojo.queue.WorkerRegistry;
import dev.dojo.system.NodeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
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
    private final QueueSettings queueSettings;
    private final NodeSettings node;
    private final WorkerRegistry registry;
    private final RunningJobs jobs;
    private final Heartbeats heartbeats;
    private final WarmUp warmUps;
    private final NodeIdentity identity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile boolean submittedHere;
    private volatile WarmUp.Result warmUp;

    WorkerPool(JobQueue queue, JobRunner runner, WorkerSettings settings, QueueSettings queueSettings, NodeSettings node,
               WorkerRegistry registry, RunningJobs jobs, Heartbeats heartbeats, WarmUp warmUps, NodeIdentity identity) {
        this.queue = queue;
        this.runner = runner;
        this.settings = settings;
        this.queueSettings = queueSettings;
        this.node = node;
        this.registry = registry;
        this.jobs = jobs;
        this.heartbeats = heartbeats;
        this.warmUps = warmUps;
        this.identity = identity;
    }

    @Override
    public void start() {
        if (!node.isWorker()) {
            return;
        }
        // Fail the node now, with the reason, rather than let a worker thread die where no one looks.
        List<List<Device>> devices = SlotDevices.allocate(settings.device(), settings.concurrency(),
                GpuCheck.usableGpus(settings.device(), Engine.getInstance()));
        identity.requireUnused(node.nodeId());
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
        heartbeats.start();
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
                    registry.register(workerId, node.nodeId(), SlotDevices.describe(slotDevices), gpus);
                    heartbeats.slot(workerId, null);
                    registered = true;
                    if (slot == 0) {
                        warmUp(workerId, device, gpus);
                    }
                }
                Optional<Claim> claim = queue.claim(workerId, need -> SlotDevices.describe(slotDevices.subList(0, Math.max(1, need))),
                        gpus, queueSettings.lease());
                if (claim.isPresent()) {
                    Claim c = claim.get();
                    heartbeats.slot(workerId, c.jobId());
                    try {
                        runner.run(c, slotDevices, listener -> jobs.started(c, listener));
                    } finally {
                        jobs.ended(c);
                        heartbeats.slot(workerId, null);
                    }
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
            String where = SlotDevices.describe(List.of(device));
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
        jobs.stopAll(StopReason.SHUTDOWN);
        onSubmitted(null);
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        heartbeats.stop();
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
