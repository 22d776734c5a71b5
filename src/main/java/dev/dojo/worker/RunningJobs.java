package dev.dojo.worker;

import dev.dojo.job.JobEvents;
import dev.dojo.queue.Claim;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** The jobs this node trains right now, each with the listener that can stop it. */
@Component
class RunningJobs {

    /** A job this node is training: its claim, and the listener its run reports to. */
    record Running(Claim claim, FencedListener listener) {}

    private final Map<String, Running> running = new ConcurrentHashMap<>();

    void started(Claim claim, FencedListener listener) {
        running.put(claim.jobId(), new Running(claim, listener));
    }

    void ended(Claim claim) {
        running.remove(claim.jobId());
    }

    Collection<Running> all() {
        return running.values();
    }

    /** Asks every running job to stop, e.g. for a graceful shutdown. */
    void stopAll(StopReason reason) {
        running.values().forEach(r -> r.listener().requestStop(reason));
    }

    /** A cancel asked on this node reaches its run at once, not at the next heartbeat. */
    @EventListener
    void onCancelRequested(JobEvents.CancelRequested event) {
        Running r = running.get(event.jobId());
        if (r != null) {
            r.listener().requestStop(StopReason.CANCELLED);
        }
    }
}
