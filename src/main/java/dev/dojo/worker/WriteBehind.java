package dev.dojo.worker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread of its own that runs a write when its delay has passed, or at once when asked, so that
 * the training thread never waits on the database. It is never interrupted: an interrupt can close
 * an H2 file channel under a running statement, so {@link #close()} asks it to stop and waits for
 * the write in hand to finish.
 */
final class WriteBehind implements Writer {

    private static final Logger log = LoggerFactory.getLogger(WriteBehind.class);

    private final Runnable write;
    private final Supplier<Duration> delay;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread thread;
    private boolean urgent;
    private boolean closed;

    /**
     * @param write what to run; it handles its own database errors
     * @param delay how long to wait before the next write, asked afresh after each one
     */
    WriteBehind(String name, Runnable write, Supplier<Duration> delay) {
        this.write = write;
        this.delay = delay;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs the write as soon as the one in hand (if any) is done. */
    @Override
    public void now() {
        lock.lock();
        try {
            urgent = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (true) {
            lock.lock();
            try {
                long nanos = Math.max(0, delay.get().toNanos());
                while (!urgent && !closed && nanos > 0) {
                    nanos = wake.awaitNanos(nanos);
                }
                if (closed) {
                    return;
                }
                urgent = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                write.run();
            } catch (RuntimeException e) {
                log.error("{}: write failed; trying again after the next delay", thread.getName(), e);
            }
        }
    }

    /** Stops the thread after the write in hand; what is still waiting is the caller's to write. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.MINUTES.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
