package dev.dojo.worker;

/** Why a running job was asked to stop before its last epoch. */
enum StopReason {
    /** A user cancelled it. */
    CANCELLED,
    /** It ran past its maxRuntimeSeconds. */
    TIMEOUT,
    /** This node is shutting down; the job goes back to the queue. */
    SHUTDOWN,
    /** Another attempt took the job over; this worker must write nothing more. */
    FENCED_OUT
}
