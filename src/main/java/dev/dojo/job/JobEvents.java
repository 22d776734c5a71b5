package dev.dojo.job;

/** In-process signals that let a local worker react at once instead of at its next poll. */
public final class JobEvents {

    private JobEvents() {}

    /** A job was queued. */
    public record Submitted(String jobId) {}

    /** Someone asked to cancel a running job. */
    public record CancelRequested(String jobId) {}
}
