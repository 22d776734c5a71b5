package dev.dojo.queue;

import dev.dojo.system.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs on every node, api or worker: puts jobs whose worker stopped heartbeating back in the
 * queue (or fails them once their attempts are spent). Two nodes sweeping at once is harmless:
 * each takeover is a conditional update on the attempt.
 */
@Component
class LeaseSweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseSweeper.class);

    private final JobQueue queue;
    private final QueueSettings settings;
    private Ticker timer;

    LeaseSweeper(JobQueue queue, QueueSettings settings) {
        this.queue = queue;
        this.settings = settings;
    }

    void sweep() {
        try {
            int swept = queue.sweepExpiredLeases(settings.lease(), settings.restartGrace());
            if (swept > 0) {
                log.info("took back {} job(s) whose lease expired", swept);
            }
        } catch (RuntimeException e) {
            log.warn("lease sweep failed (database away?): {}", e.toString());
        }
    }

    @Override
    public synchronized void start() {
        timer = Ticker.start("dojo-lease-sweeper", settings.sweepInterval(), this::sweep);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.stop();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
