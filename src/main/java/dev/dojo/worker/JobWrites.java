package dev.dojo.worker;

import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.joblog.JobLogStore;
import dev.dojo.metric.MetricStore;
import dev.dojo.queue.JobQueue;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** What a running job writes through: the queue's fence and the stores of its metrics, checkpoints and log lines. */
@Component
record JobWrites(JobQueue queue, MetricStore metrics, CheckpointStore checkpoints, JobLogStore logs, WorkerMetrics meters,
                 JsonMapper json) {

    /** The same writes, counted in other meters (the start-up rehearsal's, kept out of the node's registry). */
    JobWrites withMeters(WorkerMetrics other) {
        return new JobWrites(queue, metrics, checkpoints, logs, other, json);
    }
}
