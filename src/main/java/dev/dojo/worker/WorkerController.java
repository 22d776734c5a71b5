package dev.dojo.worker;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Workers")
class WorkerController {

    private final WorkerRegistry registry;
    private final WorkerSettings settings;

    WorkerController(WorkerRegistry registry, WorkerSettings settings) {
        this.registry = registry;
        this.settings = settings;
    }

    @GetMapping("/api/workers")
    @Operation(summary = "Live worker threads on every node, with their last heartbeat and current job")
    List<WorkerRegistry.WorkerView> live() {
        return registry.live(settings.lease());
    }
}
