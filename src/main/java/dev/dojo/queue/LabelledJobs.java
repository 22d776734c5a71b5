package dev.dojo.queue;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Component;

/**
 * The job list filtered by labels: one {@code EXISTS} on {@code job_label} per label asked for, so a
 * page costs two statements (the page and its count) however many labels it names.
 */
@Component
class LabelledJobs {

    @PersistenceContext
    private EntityManager em;

    @SuppressWarnings("unchecked")
    Page<TrainingJob> search(String tenant, JobStatus status, String task, Map<String, String> labels, Pageable page) {
        StringBuilder where = new StringBuilder(" FROM training_job j WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (tenant != null) {
            where.append(" AND j.tenant = ?");
            args.add(tenant);
        }
        if (status != null) {
            where.append(" AND j.status = ?");
            args.add(status.name());
        }
        if (task != null) {
            where.append(" AND j.task = ?");
            args.add(task);
        }
        labels.forEach((key, value) -> {
            where.append(" AND EXISTS (SELECT 1 FROM job_label l WHERE l.job_id = j.id AND l.label_key = ? AND l.label_value = ?)");
            args.add(key);
            args.add(value);
        });
        Query rows = em.createNativeQuery("SELECT j.*" + where + " ORDER BY j.created_at DESC, j.id DESC", TrainingJob.class);
        Query count = em.createNativeQuery("SELECT COUNT(*)" + where);
        for (int i = 0; i < args.size(); i++) {
            rows.setParameter(i + 1, args.get(i));
            count.setParameter(i + 1, args.get(i));
        }
        rows.setFirstResult((int) page.getOffset());
        rows.setMaxResults(page.getPageSize());
        List<TrainingJob> content = rows.getResultList();
        long total = ((Number) count.getSingleResult()).longValue();
        return new PageImpl<>(content, page, total);
    }

    /**
     * Every job (of {@code tenant}; null: any) that carries the label {@code key} with one of {@code values},
     * newest first (as the job list): one statement however many values.
     */
    @SuppressWarnings("unchecked")
    List<TrainingJob> withLabel(String tenant, String key, Collection<String> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT j.* FROM training_job j WHERE ");
        List<Object> args = new ArrayList<>();
        if (tenant != null) {
            sql.append("j.tenant = ? AND ");
            args.add(tenant);
        }
        sql.append("EXISTS (SELECT 1 FROM job_label l WHERE l.job_id = j.id AND l.label_key = ? AND l.label_value IN (");
        args.add(key);
        int i = 0;
        for (String value : values) {
            sql.append(i++ == 0 ? "?" : ", ?");
            args.add(value);
        }
        sql.append(")) ORDER BY j.created_at DESC, j.id DESC");
        Query rows = em.createNativeQuery(sql.toString(), TrainingJob.class);
        for (int n = 0; n < args.size(); n++) {
            rows.setParameter(n + 1, args.get(n));
        }
        return rows.getResultList();
    }
}
