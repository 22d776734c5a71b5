package dev.dojo.job;

import java.util.Optional;

/**
 * What submitting a warm start needs to know of another job's checkpoints. The checkpoint package
 * implements it, since that package already depends on this one.
 */
public interface CheckpointNumbers {

    /** The job's newest checkpoint number, if it has any. */
    Optional<Integer> latest(String jobId);

    /** Whether the job has checkpoint {@code number}. */
    boolean exists(String jobId, int number);
}
