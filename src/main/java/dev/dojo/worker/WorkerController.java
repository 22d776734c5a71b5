package dev.dojo.worker;

import dev.dojo.queue.QueueSettings;
import dev.dojo.queue.WorkerRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Workers")
class WorkerController {

    private final WorkerRegistry registry;
    private final QueueSettings settings;

    WorkerController(WorkerRegistry registry, QueueSettings settings) {
        this.registry = registry;
        this.settings = settings;
    }

    @GetMapping(value = "/api/workers", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Live worker threads on every node, with their last heartbeat and current job")
    List<WorkerRegistry.WorkerView> live() {
        return registry.live(settings.lease());
    }
}
