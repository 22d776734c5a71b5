package dev.dojo.checkpoint;

import dev.dojo.job.CheckpointNumbers;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** {@link CheckpointNumbers} from the {@code job_checkpoint} rows. */
@Component
class StoredCheckpointNumbers implements CheckpointNumbers {

    private final CheckpointStore store;

    StoredCheckpointNumbers(CheckpointStore store) {
        this.store = store;
    }

    @Override
    public Optional<Integer> latest(String jobId) {
        return store.latest(jobId).map(CheckpointInfo::number);
    }

    @Override
    public boolean exists(String jobId, int number) {
        return store.find(jobId, number).isPresent();
    }
}
