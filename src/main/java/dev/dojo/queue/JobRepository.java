package dev.dojo.queue;

import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Reads of job rows for {@link JobRecords}; every state change goes through {@link JobQueue}. */
interface JobRepository extends JpaRepository<TrainingJob, String> {

    /** Jobs newest first; each filter applies when it is not null ({@code tenant} null: every tenant's). */
    @Query("""
            select j from TrainingJob j
            where (:tenant is null or j.tenant = :tenant) and (:status is null or j.status = :status) and (:task is null or j.task = :task)
            order by j.createdAt desc, j.id desc""")
    Page<TrainingJob> search(@Param("tenant") String tenant, @Param("status") JobStatus status, @Param("task") String task,
                             Pageable pageable);

    Optional<TrainingJob> findByIdAndTenant(String id, String tenant);

    boolean existsByIdAndTenant(String id, String tenant);
}
