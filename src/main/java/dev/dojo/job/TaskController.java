package dev.dojo.job;

import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TaskDescription;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Tasks")
class TaskController {

    private final TaskCatalog tasks;

    TaskController(TaskCatalog tasks) {
        this.tasks = tasks;
    }

    @GetMapping(value = "/api/tasks", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The tasks Dojo can train, with every hyperparameter's default and allowed range")
    List<TaskDescription> list() {
        return tasks.describe();
    }
}
