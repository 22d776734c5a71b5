package dev.dojo.retention;

import dev.dojo.job.JobService;
import dev.dojo.job.JobSettings;
import dev.dojo.queue.JobRecords;
import dev.dojo.queue.TenantScope;
import dev.dojo.system.DomainProblem;
import dev.dojo.system.Ticker;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs on every node: purges expired Idempotency-Keys, deletes ended jobs older than
 * {@code dojo.jobs.retention} (except those labelled {@code keep=true}), and refreshes the checkpoint
 * bytes gauge. Two nodes sweeping at once is harmless: each delete locks its job row first, and a job
 * already gone is skipped.
 */
@Component
class RetentionSweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);
    /** Jobs deleted per statement that finds them; a sweep goes on until none is left. */
    private static final int BATCH = 100;

    private final JobSettings settings;
    private final JobRecords records;
    private final JobDeletion deletion;
    private final JobService jobs;
    private final CheckpointBytes bytes;
    private Ticker timer;

    RetentionSweeper(JobSettings settings, JobRecords records, JobDeletion deletion, JobService jobs, CheckpointBytes bytes) {
        this.settings = settings;
        this.records = records;
        this.deletion = deletion;
        this.jobs = jobs;
        this.bytes = bytes;
    }

    /** Every 15 s, or a quarter of a shorter retention (at least 1 s). */
    Duration interval() {
        Duration every = Duration.ofSeconds(15);
        if (settings.retention() != null && settings.retention().dividedBy(4).compareTo(every) < 0) {
            every = settings.retention().dividedBy(4);
        }
        return every.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : every;
    }

    void sweep() {
        try {
            jobs.purgeExpiredIdempotencyKeys();
            if (settings.retention() != null) {
                int deleted = 0;
                List<String> old;
                do {
                    old = records.endedBefore(settings.retention(), BATCH);
                    for (String id : old) {
                        try {
                            deletion.delete(id, TenantScope.ALL);
                            deleted++;
                        } catch (DomainProblem gone) {
                            // Deleted by another node, or by a client, since it was found.
                        }
                    }
                } while (old.size() == BATCH);
                if (deleted > 0) {
                    log.info("deleted {} job(s) that ended more than {} ago (dojo.jobs.retention)", deleted, settings.retention());
                }
            }
            bytes.refresh();
        } catch (RuntimeException e) {
            log.warn("retention sweep failed (database away?): {}", e.toString());
        }
    }

    @Override
    public synchronized void start() {
        timer = Ticker.start("dojo-retention-sweeper", interval(), this::sweep);
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
