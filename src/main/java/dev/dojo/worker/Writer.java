package dev.dojo.worker;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * When a {@link FencedListener}'s batches are written. A real job's go through a thread of the job's
 * own ({@link WriteBehind}), so the training thread never waits on the database. The start-up
 * rehearsal's are written on the training thread ({@link #inline}): the rehearsal is one database
 * transaction that is rolled back at its end, and a transaction belongs to the thread that opened it.
 */
interface Writer extends AutoCloseable {

    /** Makes a writer that runs {@code write} when {@code delay} has passed, or at once when asked. */
    @FunctionalInterface
    interface Factory {
        Writer start(String name, Runnable write, Supplier<Duration> delay);
    }

    /** Writes what is waiting as soon as possible. */
    void now();

    /** The training thread finished an epoch: a moment to write what is due, for a writer without a thread. */
    default void epochEnded() {}

    /** Stops writing; what is still waiting is the caller's to write. */
    @Override
    void close();

    /** Writes on the caller's thread: at once when asked, and at an epoch's end once the delay has passed. */
    static Writer inline(String name, Runnable write, Supplier<Duration> delay) {
        return new Writer() {
            @Override
            public void now() {
                write.run();
            }

            @Override
            public void epochEnded() {
                if (delay.get().compareTo(Duration.ZERO) <= 0) {
                    write.run();
                }
            }

            @Override
            public void close() {}
        };
    }
}
