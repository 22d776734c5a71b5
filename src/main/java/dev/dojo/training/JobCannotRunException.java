package dev.dojo.training;

/**
 * The job can never run as specified (its dataset is missing, say): it fails at once and is not
 * retried. The message says what to do about it.
 */
public class JobCannotRunException extends RuntimeException {

    public JobCannotRunException(String message) {
        super(message);
    }

    public JobCannotRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
