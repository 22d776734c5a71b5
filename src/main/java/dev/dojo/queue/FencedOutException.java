package dev.dojo.queue;

/** The worker no longer holds the job (its lease was taken over, or the job ended); it must stop. */
public class FencedOutException extends RuntimeException {

    public FencedOutException(Claim claim) {
        super("job " + claim.jobId() + " attempt " + claim.attempt() + " is no longer held by " + claim.workerId());
    }
}
