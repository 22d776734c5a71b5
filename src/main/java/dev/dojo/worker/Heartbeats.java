package dev.dojo.worker;

import dev.dojo.queue.FencedOutException;
import dev.dojo.queue.JobQueue;
import dev.dojo.queue.QueueSettings;
import dev.dojo.queue.WorkerRegistry;
import dev.dojo.system.Ticker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A node's signs of life, on a thread of their own: every {@code dojo.worker.heartbeat-interval} each
 * worker slot beats in the registry and each running job's lease is renewed. A renewal that finds the
 * claim lost stops that job; one that finds it cancelled stops it too.
 */
@Component
class Heartbeats {

    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

    private final JobQueue queue;
    private final WorkerRegistry registry;
    private final RunningJobs running;
    private final WorkerSettings settings;
    private final QueueSettings queueSettings;
    /** Each registered slot's worker id and the job it runs ("" when idle). */
    private final Map<String, String> slots = new ConcurrentHashMap<>();
    private Ticker timer;

    Heartbeats(JobQueue queue, WorkerRegistry registry, RunningJobs running, WorkerSettings settings, QueueSettings queueSettings) {
        if (settings.heartbeatInterval().compareTo(queueSettings.lease()) >= 0) {
            throw new IllegalStateException("dojo.worker.heartbeat-interval (" + settings.heartbeatInterval()
                    + ") must be shorter than dojo.queue.lease (" + queueSettings.lease() + ")");
        }
        this.queue = queue;
        this.registry = registry;
        this.running = running;
        this.settings = settings;
        this.queueSettings = queueSettings;
    }

    /** The slot now runs {@code jobId}, or nothing when it is null. */
    void slot(String workerId, String jobId) {
        slots.put(workerId, jobId == null ? "" : jobId);
    }

    synchronized void start() {
        timer = Ticker.start("dojo-heartbeat", settings.heartbeatInterval(), this::beat);
    }

    /** Stops beating and marks every slot stopped in the registry. */
    synchronized void stop() {
        if (timer != null) {
            timer.stop();
            timer = null;
        }
        slots.keySet().forEach(workerId -> {
            try {
                registry.stopped(workerId);
            } catch (RuntimeException e) {
                log.debug("could not mark {} stopped: {}", workerId, e.toString());
            }
        });
    }

    private void beat() {
        slots.forEach((workerId, jobId) -> {
            try {
                registry.beat(workerId, jobId.isEmpty() ? null : jobId);
            } catch (RuntimeException e) {
                log.debug("worker heartbeat failed: {}", e.toString());
            }
        });
        for (RunningJobs.Running r : running.all()) {
            try {
                if (queue.heartbeat(r.claim(), queueSettings.lease()).cancelRequested()) {
                    r.listener().requestStop(StopReason.CANCELLED);
                }
            } catch (FencedOutException e) {
                log.warn("job {} attempt {}: heartbeat refused, another attempt holds the job; stopping it",
                        r.claim().jobId(), r.claim().attempt());
                r.listener().refused();
            } catch (RuntimeException e) {
                log.warn("heartbeat for job {} failed: {}", r.claim().jobId(), e.toString());
            }
        }
    }
}
