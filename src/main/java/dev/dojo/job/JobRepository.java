package dev.dojo.job;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Reads of job rows for the API; state changes go through {@code JobStateStore}. */
public interface JobRepository extends JpaRepository<TrainingJob, String> {

    @Query("""
            select j from TrainingJob j
            where (:status is null or j.status = :status) and (:task is null or j.task = :task)
            order by j.createdAt desc, j.id desc""")
    Page<TrainingJob> search(@Param("status") JobStatus status, @Param("task") String task, Pageable pageable);
}
