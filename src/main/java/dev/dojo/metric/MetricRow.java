package dev.dojo.metric;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A metric row; written by {@link MetricStore} in batches, read through JPA. */
@Entity
@Table(name = "job_metric")
class MetricRow {

    @Id
    private Long id;
    private String jobId;
    private int epoch;
    private long step;
    private String name;
    @Column(name = "metric_value")
    private double value;
    private Instant recordedAt;

    protected MetricRow() {}

    MetricPoint toPoint() {
        return new MetricPoint(name, epoch, step, value, recordedAt);
    }
}
