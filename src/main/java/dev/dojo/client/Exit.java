package dev.dojo.client;

/** The client's exit codes, and the reason for a code 3 on its way out. */
final class Exit {

    static final int SUCCEEDED = 0;
    static final int FAILED = 1;
    static final int CANCELLED_OR_TIMED_OUT = 2;
    static final int ERROR = 3;

    private Exit() {
    }

    /** The exit code of a job's status: 0, 1 or 2; -1 while the job has not ended. */
    static int of(String status) {
        return switch (status) {
            case "SUCCEEDED" -> SUCCEEDED;
            case "FAILED" -> FAILED;
            case "CANCELLED" -> CANCELLED_OR_TIMED_OUT;
            default -> -1;
        };
    }

    /** Usage, HTTP or connection trouble: one line on stderr, exit code 3. */
    static final class Failure extends RuntimeException {
        Failure(String reason) {
            super(reason, null, false, false);
        }
    }
}
