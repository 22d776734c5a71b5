package dev.dojo.system;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task run again and again on a daemon thread of its own, {@code every} after the end of its last
 * run (the first run one {@code every} after the start), until stopped: the node's timers (lease
 * sweeps, heartbeats, retention, the sweep driver, long-poll ticks).
 */
public final class Ticker {

    private final ScheduledExecutorService executor;

    private Ticker(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Starts running {@code task} on a thread named {@code threadName}. */
    public static Ticker start(String threadName, Duration every, Runnable task) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        long millis = every.toMillis();
        executor.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
        return new Ticker(executor);
    }

    /** No more runs; a run in progress is interrupted and not waited for. */
    public void stop() {
        executor.shutdownNow();
    }

    /** No more runs; a run in progress is interrupted, and waited for up to {@code wait}. */
    public void stopAndWait(Duration wait) {
        executor.shutdownNow();
        try {
            executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
