package dev.dojo.queue;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs on every node, api or worker: puts jobs whose worker stopped heartbeating back in the
 * queue (or fails them once their attempts are spent). Two nodes sweeping at once is harmless:
 * each takeover is a conditional update on the attempt.
 */
@Component
class LeaseSweeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseSweeper.class);

    private final JobQueue queue;
    private final Duration lease;
    private final Duration restartGrace;

    LeaseSweeper(JobQueue queue, @Value("${dojo.worker.lease:30s}") Duration lease,
                 @Value("${dojo.queue.restart-grace:30s}") Duration restartGrace) {
        this.queue = queue;
        this.lease = lease;
        this.restartGrace = restartGrace;
    }

    @Scheduled(fixedDelayString = "${dojo.queue.sweep-interval:5s}", initialDelayString = "${dojo.queue.sweep-interval:5s}")
    void sweep() {
        try {
            int swept = queue.sweepExpiredLeases(lease, restartGrace);
            if (swept > 0) {
                log.info("took back {} job(s) whose lease expired", swept);
            }
        } catch (RuntimeException e) {
            log.warn("lease sweep failed (database away?): {}", e.toString());
        }
    }
}
