package dev.dojo.job;

import dev.dojo.queue.JobRecords;
import dev.dojo.queue.JobStatus;
import dev.dojo.queue.TenantScope;
import dev.dojo.system.DomainProblem;
import dev.dojo.system.OpenRequests;
import dev.dojo.system.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Long polls that hold no thread while they wait. A waiting request is parked as a
 * {@link DeferredResult}; one scheduler thread reads the status of every awaited job in one query
 * per tick and answers the requests whose job has ended or whose time is up. A node holds at most
 * {@code dojo.limits.max-long-polls} of them (429 beyond); a cancel that waits for a worker counts as one
 * (beyond the cap it does not wait: 202).
 */
@Component
class JobWaits implements DisposableBean, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobWaits.class);
    static final Duration TICK = Duration.ofMillis(100);
    private static final int IDS_PER_QUERY = 500;
    /** How long past its deadline a wait may go unanswered (the database away) before it is answered with an error. */
    private static final long GRACE_MILLIS = 30_000;

    /** One parked request: which job, until when, and how to answer it with the job's view. */
    private record Waiter(String jobId, long deadlineNanos, Consumer<Object> answer, DeferredResult<?> result) {}

    private final JobService jobs;
    private final JobRecords records;
    private final OpenRequests open;
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final Ticker ticker;
    private volatile boolean running;

    JobWaits(JobService jobs, JobRecords records, OpenRequests open) {
        this.jobs = jobs;
        this.records = records;
        this.open = open;
        this.ticker = Ticker.start("job-waits", TICK, this::tick);
    }

    /**
     * The job as soon as it has ended, or after {@code seconds} as it stands; 404 at once when there is no such job.
     * The wait counts against {@code tenant}'s cap of long polls as well as the node's.
     */
    DeferredResult<JobView> await(String id, TenantScope scope, String tenant, int seconds) {
        if (seconds == 0 || !running) {
            return answered(jobs.get(id, scope));
        }
        // One light read decides whether to wait; the whole view is built once, when the answer is due.
        JobStatus status = records.status(id, scope);
        if (status.isTerminal()) {
            return answered(jobs.get(id, scope));
        }
        return park(id, seconds, open.open(OpenRequests.Kind.LONG_POLL, tenant), view -> view);
    }

    /**
     * Cancels a job; when a running job's worker has yet to confirm, waits up to {@code seconds} for it
     * without holding a thread. When the node, or {@code tenant}, already holds its cap of waits, the cancel still
     * happens and is answered at once: 202, the worker has not confirmed yet.
     */
    DeferredResult<ResponseEntity<JobView>> cancel(String id, TenantScope scope, String tenant, int seconds) {
        JobService.CancelResult started = jobs.cancelWithoutWaiting(id, scope);
        if (started.completed() || !started.job().cancelRequested() || seconds == 0 || !running) {
            return answered(cancelAnswer(started.job()));
        }
        return open.tryOpen(OpenRequests.Kind.LONG_POLL, tenant)
                .map(permit -> park(id, seconds, permit, JobWaits::cancelAnswer))
                .orElseGet(() -> answered(cancelAnswer(started.job())));
    }

    private static ResponseEntity<JobView> cancelAnswer(JobView job) {
        return ResponseEntity.status(job.status().isTerminal() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(job);
    }

    private static <T> DeferredResult<T> answered(T value) {
        DeferredResult<T> done = new DeferredResult<>();
        done.setResult(value);
        return done;
    }

    private <T> DeferredResult<T> park(String id, int seconds, OpenRequests.Permit permit, Function<JobView, T> shape) {
        DeferredResult<T> result = new DeferredResult<>(seconds * 1000L + GRACE_MILLIS);
        @SuppressWarnings("unchecked")
        Consumer<Object> answer = value -> {
            if (value instanceof JobView view) {
                result.setResult(shape.apply(view));
            } else {
                result.setErrorResult(value);
            }
        };
        Waiter waiter = new Waiter(id, System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds), answer, result);
        Runnable end = () -> {
            waiters.remove(waiter);
            permit.release();
        };
        result.onCompletion(end);
        result.onError(e -> end.run());
        result.onTimeout(() -> {
            end.run();
            result.setErrorResult(new DomainProblem(HttpStatus.SERVICE_UNAVAILABLE, "Job state unavailable",
                    "The job's state could not be read in time; try again."));
        });
        waiters.add(waiter);
        if (!running) {
            // stop() ran while this wait was being parked.
            answer(id, List.of(waiter));
        }
        return result;
    }

    /** How many long polls are waiting on this node. */
    int waiting() {
        return waiters.size();
    }

    /** One pass: answers every wait whose job has ended (one status query per 500 jobs) or whose time is up. */
    void tick() {
        if (waiters.isEmpty()) {
            return;
        }
        try {
            long now = System.nanoTime();
            Map<String, List<Waiter>> byJob = unansweredByJob();
            Set<String> ended = ended(new ArrayList<>(byJob.keySet()));
            for (Map.Entry<String, List<Waiter>> e : byJob.entrySet()) {
                boolean over = ended.contains(e.getKey());
                List<Waiter> due = over ? e.getValue() : e.getValue().stream().filter(w -> w.deadlineNanos() - now <= 0).toList();
                if (!due.isEmpty()) {
                    answer(e.getKey(), due);
                }
            }
        } catch (RuntimeException e) {
            // The database may be away; the waits are answered at a later tick (or by their timeout).
            log.warn("long polls: could not read job states; retrying: {}", e.toString());
        }
    }

    /** The waits not answered yet, by job; answered or expired ones are dropped from the set. */
    private Map<String, List<Waiter>> unansweredByJob() {
        Map<String, List<Waiter>> byJob = new HashMap<>();
        for (Waiter w : waiters) {
            if (!w.result().isSetOrExpired()) {
                byJob.computeIfAbsent(w.jobId(), k -> new ArrayList<>()).add(w);
            } else {
                waiters.remove(w);
            }
        }
        return byJob;
    }

    /** Ids among {@code ids} whose job has ended or no longer exists. */
    private Set<String> ended(List<String> ids) {
        Set<String> ended = new HashSet<>(ids);
        for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
            records.statuses(ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY))).forEach((id, status) -> {
                if (!status.isTerminal()) {
                    ended.remove(id);
                }
            });
        }
        return ended;
    }

    private void answer(String id, List<Waiter> due) {
        Object answer;
        try {
            // Each waiter's scope was checked when it was parked.
            answer = jobs.get(id, TenantScope.ALL);
        } catch (DomainProblem gone) {
            answer = gone;
        }
        for (Waiter w : due) {
            waiters.remove(w);
            w.answer().accept(answer);
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * The node is stopping: every parked wait is answered now with its job as it stands, as at its
     * deadline, rather than holding the web server's graceful shutdown for up to a minute; waits that
     * arrive from now on are answered at once.
     */
    @Override
    public void stop() {
        running = false;
        for (Map.Entry<String, List<Waiter>> e : unansweredByJob().entrySet()) {
            try {
                answer(e.getKey(), e.getValue());
            } catch (RuntimeException unreadable) {
                log.warn("long polls of job {} left to their deadline at shutdown: {}", e.getKey(), unreadable.toString());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void destroy() {
        ticker.stop();
    }
}
