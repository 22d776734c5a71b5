package dev.dojo.client;

import java.time.Duration;

/** When {@code --timeout} runs out; {@link #NONE} never does. */
record Deadline(long endNanos, Duration timeout) {

    static final Deadline NONE = new Deadline(Long.MAX_VALUE, null);

    static Deadline after(Duration timeout) {
        return timeout == null ? NONE : new Deadline(System.nanoTime() + timeout.toNanos(), timeout);
    }

    boolean unlimited() {
        return timeout == null;
    }

    /** Milliseconds left, 0 once passed; Long.MAX_VALUE without a timeout. */
    long leftMillis() {
        if (unlimited()) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, (endNanos - System.nanoTime()) / 1_000_000);
    }

    boolean passed() {
        return leftMillis() == 0;
    }

    /** Sleeps for {@code millis} or until the deadline, whichever comes first. */
    void sleep(long millis) {
        try {
            Thread.sleep(Math.min(millis, leftMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Exit.Failure("interrupted");
        }
    }
}
