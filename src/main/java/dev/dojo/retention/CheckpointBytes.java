package dev.dojo.retention;

import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.queue.JobRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code dojo_checkpoint_bytes{task,tenant}}: the checkpoint bytes the database holds per task and
 * tenant (sum over either label in PromQL for one of them), refreshed by each retention sweep. Every
 * node exports it; the database is shared, so any node's figure is the cluster's.
 */
@Component
class CheckpointBytes {

    private static final int CHUNK = 500;

    private final CheckpointStore checkpoints;
    private final JobRecords records;
    private final MultiGauge gauge;

    CheckpointBytes(CheckpointStore checkpoints, JobRecords records, MeterRegistry meters) {
        this.checkpoints = checkpoints;
        this.records = records;
        this.gauge = MultiGauge.builder("dojo.checkpoint.bytes").baseUnit("bytes")
                .description("Checkpoint bytes held in the database, per task and tenant").register(meters);
    }

    /** Reads the sums again: one GROUP BY over the checkpoints, then the task and tenant of their jobs. */
    void refresh() {
        Map<String, Long> byJob = checkpoints.bytesByJob();
        List<String> ids = new ArrayList<>(byJob.keySet());
        Map<List<String>, Long> sums = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            records.taskAndTenant(ids.subList(from, Math.min(ids.size(), from + CHUNK))).forEach((job, owner) ->
                    sums.merge(List.of(owner[0], owner[1]), byJob.get(job), Long::sum));
        }
        gauge.register(sums.entrySet().stream().map(e -> MultiGauge.Row.of(
                Tags.of("task", e.getKey().get(0), "tenant", e.getKey().get(1)), e.getValue())).toList(), true);
    }
}
