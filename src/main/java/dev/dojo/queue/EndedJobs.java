package dev.dojo.queue;

import dev.dojo.system.DomainProblem;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The queue's part in deleting an ended job: the lock that makes sure it has ended and stays so,
 * and the delete of the rows the queue owns, both in the deleting caller's transaction.
 */
@Component
public class EndedJobs {

    private final JdbcTemplate jdbc;

    EndedJobs(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Deletes an ended job's own rows (its labels, attempts and the job), in the caller's transaction,
     * after the rows other packages own have gone. The job row is locked first by {@link #lockEnded}.
     */
    public void delete(String jobId) {
        jdbc.update("DELETE FROM job_label WHERE job_id = ?", jobId);
        jdbc.update("DELETE FROM job_attempt WHERE job_id = ?", jobId);
        if (jdbc.update("DELETE FROM training_job WHERE id = ? AND " + JobStatus.terminalCondition(), jobId) != 1) {
            throw new IllegalStateException("job " + jobId + " was not ended when it was deleted");
        }
    }

    /**
     * The jobs whose {@code initFrom} names this job: while one exists, the job's checkpoints are its
     * starting weights, and the job is kept (a delete is a 409, retention passes it by).
     */
    public List<String> warmStartedFrom(String jobId) {
        return jdbc.queryForList("SELECT id FROM training_job WHERE spec_json LIKE ? ORDER BY created_at, id",
                String.class, "%" + INIT_FROM_JOB + jobId + "\"%");
    }

    /** How a stored spec names its warm start's source job: {@code "initFrom":{"job":"<id>"}, as Jackson writes the record. */
    static final String INIT_FROM_JOB = "\"initFrom\":{\"job\":\"";

    /**
     * Locks the job's row for a delete, in the caller's transaction, and answers its status: a 404
     * problem when {@code scope} does not see it. A job that has ended never moves again, so once it is
     * seen ended here it stays so.
     */
    public JobStatus lockEnded(String jobId, TenantScope scope) {
        List<String> status = jdbc.queryForList("SELECT status FROM training_job WHERE id = ?"
                + (scope.isAll() ? "" : " AND tenant = ?") + " FOR UPDATE", String.class,
                scope.isAll() ? new Object[] {jobId} : new Object[] {jobId, scope.tenant()});
        if (status.isEmpty()) {
            throw DomainProblem.jobNotFound(jobId);
        }
        return JobStatus.valueOf(status.get(0));
    }
}
