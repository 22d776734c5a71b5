package dev.dojo.event;

import dev.dojo.job.JobView;

/**
 * Where a stream stands: the highest metric and checkpoint row ids sent and the job state last sent.
 * Rendered as the SSE event id; see the package documentation for why it is totally ordered.
 */
record Cursor(long metricId, long checkpointId, String state) {

    static final Cursor START = new Cursor(0, 0, "");

    /** The cursor in a Last-Event-ID; a blank or unreadable one starts from the beginning. */
    static Cursor parse(String id) {
        if (id == null || id.isBlank()) {
            return START;
        }
        String[] parts = id.trim().split("-", 3);
        try {
            return new Cursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts.length > 2 ? parts[2] : "");
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("Last-Event-ID must look like 12-3-1-RUNNING-4, was \"" + id + "\"");
        }
    }

    /** The part of a job view whose change is worth a status event. */
    static String state(JobView job) {
        return job.attempt() + "-" + job.status() + "-" + (job.progress() == null ? 0 : job.progress().epoch());
    }

    Cursor metric(long id) {
        return new Cursor(id, checkpointId, state);
    }

    Cursor checkpoint(long id) {
        return new Cursor(metricId, id, state);
    }

    Cursor state(String s) {
        return new Cursor(metricId, checkpointId, s);
    }

    @Override
    public String toString() {
        return metricId + "-" + checkpointId + "-" + state;
    }
}
