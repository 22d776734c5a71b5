package dev.dojo.event;

import dev.dojo.job.JobView;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a stream stands: the highest metric and checkpoint row ids sent and the job state last sent.
 * Rendered as the SSE event id; see the package documentation for why it is totally ordered.
 */
record Cursor(long metricId, long checkpointId, String state) {

    static final Cursor START = new Cursor(0, 0, "");

    /**
     * Exactly what {@link #toString} writes (the state may be empty: rows sent before the first
     * status): anything else, a CR or LF above all, never reaches an event id.
     */
    private static final Pattern ID = Pattern.compile("(\\d{1,18})-(\\d{1,18})(?:-(\\d{1,9}-[A-Z_]{1,20}-\\d{1,9})?)?");

    /**
     * The cursor in a Last-Event-ID; a blank one starts from the beginning.
     *
     * @throws IllegalArgumentException when the id is not one a stream sent
     */
    static Cursor parse(String id) {
        if (id == null || id.isBlank()) {
            return START;
        }
        Matcher m = ID.matcher(id.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("must be the id of an event this stream sent, such as 12-3-1-RUNNING-4");
        }
        return new Cursor(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3) == null ? "" : m.group(3));
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
