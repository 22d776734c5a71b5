package dev.dojo.queue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A job's life: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED, with RUNNING → QUEUED on a
 * requeue. The table below is the only place transitions are defined: {@link JobQueue} builds every
 * status-changing statement through {@link #move}, so a move that is not in the table cannot be
 * written.
 */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    private static final Map<JobStatus, Set<JobStatus>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, CANCELLED, FAILED),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, QUEUED),
            SUCCEEDED, EnumSet.noneOf(JobStatus.class),
            FAILED, EnumSet.noneOf(JobStatus.class),
            CANCELLED, EnumSet.noneOf(JobStatus.class));

    public boolean isTerminal() {
        return ALLOWED.get(this).isEmpty();
    }

    /** {@code status = 'THIS'}: a condition on a job's current status, for a WHERE clause. */
    String condition() {
        return "status = '" + name() + "'";
    }

    /** {@code status IN ('SUCCEEDED', ...)}: the job has ended, for a WHERE clause. */
    static String terminalCondition() {
        return "status IN (" + java.util.Arrays.stream(values()).filter(JobStatus::isTerminal).map(s -> "'" + s.name() + "'")
                .collect(java.util.stream.Collectors.joining(", ")) + ")";
    }

    /**
     * The SQL condition and new value of a move from {@code this} to {@code next}: {@code status = 'FROM'}
     * for the WHERE clause, {@code 'NEXT'} for the SET clause.
     *
     * @throws IllegalStateException when the table does not allow the move
     */
    Move move(JobStatus next) {
        if (!ALLOWED.get(this).contains(next)) {
            throw new IllegalStateException("a job cannot move from " + this + " to " + next);
        }
        return new Move(this, next);
    }

    /** One allowed move, rendered for SQL. */
    record Move(JobStatus from, JobStatus to) {

        /** {@code status = 'FROM'}, for a WHERE clause. */
        String where() {
            return from.condition();
        }

        /** {@code status = 'TO'}, for a SET clause. */
        String set() {
            return "status = '" + to.name() + "'";
        }
    }
}
