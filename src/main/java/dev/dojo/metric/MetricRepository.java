package dev.dojo.metric;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface MetricRepository extends JpaRepository<MetricRow, Long> {

    @Query("""
            select m from MetricRow m
            where m.jobId = :jobId and (:name is null or m.name = :name) and m.step > :afterStep
            order by m.step, m.id""")
    List<MetricRow> page(@Param("jobId") String jobId, @Param("name") String name, @Param("afterStep") long afterStep, Limit limit);
}
