package dev.dojo.export;

import dev.dojo.checkpoint.CheckpointInfo;
import dev.dojo.checkpoint.CheckpointStore;
import dev.dojo.job.JobService;
import dev.dojo.security.Caller;
import dev.dojo.system.DomainProblem;
import dev.dojo.training.TaskCatalog;
import dev.dojo.training.TorchExport;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Min;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

@RestController
@Tag(name = "Checkpoints")
class ExportController {

    /** The media type of a safetensors file: raw bytes. */
    static final String SAFETENSORS = MediaType.APPLICATION_OCTET_STREAM_VALUE;
    /** The shared problem schema (dev.dojo.system.ApiProblems.PROBLEM), for the answers that are not the file. */
    private static final String PROBLEM = "#/components/schemas/ProblemDetail";

    private final JobService jobs;
    private final CheckpointStore checkpoints;
    private final TaskCatalog tasks;
    private final JsonMapper json;

    ExportController(JobService jobs, CheckpointStore checkpoints, TaskCatalog tasks, JsonMapper json) {
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.tasks = tasks;
        this.json = json;
    }

    @GetMapping(value = "/api/jobs/{id}/export", produces = {SAFETENSORS, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    @Operation(summary = "Export a checkpoint's weights as a safetensors file that PyTorch loads",
            description = "The latest checkpoint, or the one named by ?checkpoint=n, as a safetensors file "
                    + "(https://github.com/huggingface/safetensors): tensor names are the state_dict keys of the seed "
                    + "lesson's WideNet (layers.0.weight …) or MiniCNN (conv1.weight … fc2.bias), float32, and "
                    + "__metadata__ holds the job's spec. See docs/export.md.")
    @ApiResponse(responseCode = "200", description = "The safetensors file",
            content = @Content(mediaType = SAFETENSORS, schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", description = "No job with this id that this key may see, or it has no checkpoint n",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(ref = PROBLEM)))
    @ApiResponse(responseCode = "409", description = "The job has no checkpoint yet",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(ref = PROBLEM)))
    ResponseEntity<byte[]> export(@PathVariable String id, @AuthenticationPrincipal Caller caller,
                                  @Parameter(description = "Checkpoint number; default the latest")
                                  @RequestParam(required = false) @Min(value = 1, message = "must be 1 or more") Integer checkpoint) {
        JobService.SpecAndStatus job = jobs.spec(id, caller.visibility());
        CheckpointInfo info = checkpoint == null
                ? checkpoints.latest(id).orElseThrow(() -> new DomainProblem(HttpStatus.CONFLICT, "No checkpoint yet",
                        "Job " + id + " has no checkpoint yet; its weights can be exported once the first one is written."))
                : checkpoints.find(id, checkpoint).orElseThrow(() -> new DomainProblem(HttpStatus.NOT_FOUND,
                        "Checkpoint not found", "Job " + id + " has no checkpoint " + checkpoint + "."));
        TorchExport.Weights weights = TorchExport.weights(tasks.get(job.spec().task()), job.spec().training(),
                checkpoints.read(id, info.number()));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("dojo.module", weights.module());
        metadata.put("dojo.input_shape", weights.inputShape().toString());
        metadata.put("dojo.job", id);
        metadata.put("dojo.task", job.spec().task());
        metadata.put("dojo.checkpoint", Integer.toString(info.number()));
        metadata.put("dojo.epoch", Integer.toString(info.epoch()));
        metadata.put("dojo.step", Long.toString(info.step()));
        metadata.put("dojo.spec", json.writeValueAsString(job.spec()));
        byte[] file = TorchExport.safetensors(weights.tensors(), metadata);
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(file.length)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-checkpoint-" + info.number() + ".safetensors\"")
                .body(file);
    }
}
