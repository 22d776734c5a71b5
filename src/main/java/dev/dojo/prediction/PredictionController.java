package dev.dojo.prediction;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@Tag(name = "Predictions")
class PredictionController {

    private final PredictionService predictions;

    PredictionController(PredictionService predictions) {
        this.predictions = predictions;
    }

    /** The TensorFlow Serving / KServe v1 request shape. */
    @Schema(example = "{\"instances\": [0.5, -0.25]}")
    record PredictRequest(@Schema(description = "Inputs: numbers for sine-regression") List<JsonNode> instances) {}

    /** One output per instance, in order. */
    record PredictResponse(List<Object> predictions, int checkpoint) {}

    @PostMapping("/api/jobs/{id}/predictions")
    @Operation(summary = "Predict with a trained job",
            description = "Served from the latest checkpoint, or the one named by ?checkpoint=n. "
                    + "409 when the job has no checkpoint yet.")
    PredictResponse predict(@PathVariable String id,
                            @RequestParam(required = false) @Min(value = 1, message = "must be 1 or more") Integer checkpoint,
                            @RequestBody(required = false) PredictRequest request) {
        return predictions.predict(id, checkpoint, request == null ? null : request.instances());
    }
}
