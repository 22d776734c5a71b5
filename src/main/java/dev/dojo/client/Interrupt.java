package dev.dojo.client;

import java.io.Console;
import java.io.IOError;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C during {@code client run}: on a terminal, ask whether to cancel the job; in CI (no
 * terminal), leave it running.
 *
 * <p>SIGINT is caught with {@code sun.misc.Signal} (module {@code jdk.unsupported}), not with a
 * shutdown hook. A hook runs once the JVM has already begun to exit: the main thread goes on
 * drawing the bar over the question, the JVM exits 130 whatever the answer (the promised 2 for a
 * cancelled job cannot be given without {@code Runtime.halt}), and the job's end can no longer be
 * followed and printed. A signal handler runs on a thread of its own while the JVM carries on: the
 * bar is held while the question waits, "y" cancels and the run goes on following the job to its
 * {@code CANCELLED} end (exit 2, the job on stdout), and "n" or Enter leaves the job running and
 * exits 130, as a shell reports Ctrl-C, after printing the job as it stands. A second Ctrl-C while
 * the question waits also leaves the job running. SIGTERM (a CI runner stopping its job) still
 * shuts the JVM down, through a hook that says the job keeps running.
 */
final class Interrupt {

    /** The exit code when the client stops following a job it leaves running: 128 + SIGINT. */
    static final int EXIT = 130;

    /** What the run does when it is interrupted. */
    interface Target {
        /** The job being followed, or null while it is not known yet. */
        String jobId();

        /**
         * Prints the job as it stands and says it keeps running, then exits 130 when {@code exit}
         * (never from a shutdown hook, where {@code System.exit} would block); a no-op once the run
         * is finishing.
         */
        void leave(String reason, boolean exit);

        /** Asks the service to cancel the job; the run then follows it to its end. */
        void cancel();
    }

    private final Target target;
    private final Progress progress;
    private final AtomicBoolean asking = new AtomicBoolean();

    private Interrupt(Target target, Progress progress) {
        this.target = target;
        this.progress = progress;
    }

    /** Takes over SIGINT (and adds a SIGTERM notice) for the rest of this JVM's life. */
    static void install(Target target, Progress progress) {
        Interrupt interrupt = new Interrupt(target, progress);
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> interrupt.interrupted());
        } catch (IllegalArgumentException e) {
            // SIGINT is reserved here (java -Xrs): Ctrl-C ends the JVM as it would anyway.
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            String id = target.jobId();
            if (id != null) {
                target.leave("stopped", false);
            }
        }, "dojo-client-shutdown"));
    }

    private void interrupted() {
        if (target.jobId() == null) {
            return;
        }
        Console console = System.console();
        if (console == null) {
            target.leave("interrupted", true);
            return;
        }
        if (!asking.compareAndSet(false, true)) {
            target.leave("interrupted again", true); // Ctrl-C while the question waits: stop asking.
            return;
        }
        String answer;
        progress.hold();
        try {
            answer = console.readLine("Cancel job %s? [y/N] ", target.jobId());
        } catch (IOError e) {
            answer = null;
        }
        boolean yes = answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
        if (!yes) {
            progress.release();
            target.leave("not cancelled", true);
            return;
        }
        target.cancel(); // Its line waits for the release, so that it follows the answer.
        progress.release();
        asking.set(false);
    }
}
