package dev.dojo.dataset;

/**
 * A data set that cannot be used as things stand: missing, unfetchable, truncated, malformed or not
 * matching its checksums. Retrying will not help until someone acts, so a job that meets it should
 * fail at once; the message says what to do.
 */
public class DatasetUnavailableException extends RuntimeException {

    public DatasetUnavailableException(String message) {
        super(message);
    }

    public DatasetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
