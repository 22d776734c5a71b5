package dev.dojo.prediction;

import dev.dojo.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;

@RestController
@Tag(name = "Predictions")
class PredictionController {

    private static final String NO_CHECKPOINT_N = "No job with this id that this key may see, or it has no checkpoint n";
    private static final String NO_CHECKPOINT_YET = "The job has no checkpoint yet: predictions are served once its first one is written";

    private final PredictionService predictions;

    PredictionController(PredictionService predictions) {
        this.predictions = predictions;
    }

    /** The TensorFlow Serving / KServe v1 request shape. */
    @Schema(example = "{\"instances\": [0.5, -0.25]}")
    record PredictRequest(@Schema(description = "sine-regression: numbers. mnist, fashion-mnist: 28×28 arrays of "
            + "0–255 integers or 0–1 floats, or {\"b64\": \"<base64 PNG or JPEG>\"} of any size") List<JsonNode> instances) {}

    /**
     * One output per instance, in order: a number (sine), or a label (a digit, or a Fashion-MNIST class
     * name) with the ten softmax probabilities.
     */
    record PredictResponse(List<Object> predictions, int checkpoint) {}

    @PostMapping(value = "/api/jobs/{id}/predictions", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Predict with a trained job",
            description = "Served from the latest checkpoint, or the one named by ?checkpoint=n; all instances go "
                    + "through one forward pass. Images are made MNIST-like: grey, the ink cropped, scaled into 20×20 "
                    + "and centred by mass in 28×28, white on black. 409 when the job has no checkpoint yet.")
    @ApiResponse(responseCode = "200", description = "One prediction per instance, and the checkpoint that made them")
    @ApiResponse(responseCode = "404", description = NO_CHECKPOINT_N)
    @ApiResponse(responseCode = "409", description = NO_CHECKPOINT_YET)
    PredictResponse predict(@PathVariable String id, @AuthenticationPrincipal Caller caller,
                            @RequestParam(required = false) @Min(value = 1, message = "must be 1 or more") Integer checkpoint,
                            @Parameter(description = "auto: invert images whose border is light (dark ink on paper); "
                                    + "true/false force it. For 28×28 arrays only true inverts.")
                            @RequestParam(defaultValue = "AUTO") DigitImages.Invert invert,
                            @RequestBody(required = false) PredictRequest request) {
        return predictions.predict(id, caller.visibility(), checkpoint, request == null ? null : request.instances(), invert);
    }

    @PostMapping(value = "/api/jobs/{id}/predictions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Predict from uploaded images (mnist, fashion-mnist): one or more files in the part \"image\"")
    @ApiResponse(responseCode = "200", description = "One prediction per image, and the checkpoint that made them")
    @ApiResponse(responseCode = "404", description = NO_CHECKPOINT_N)
    @ApiResponse(responseCode = "409", description = NO_CHECKPOINT_YET)
    PredictResponse predictUpload(@PathVariable String id, @AuthenticationPrincipal Caller caller,
                                  @RequestParam(required = false) @Min(value = 1, message = "must be 1 or more") Integer checkpoint,
                                  @RequestParam(defaultValue = "AUTO") DigitImages.Invert invert,
                                  @RequestPart("image") List<MultipartFile> images) {
        List<byte[]> bytes = new ArrayList<>();
        for (MultipartFile f : images) {
            try {
                bytes.add(f.getBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return predictions.predictImages(id, caller.visibility(), checkpoint, bytes, invert);
    }
}
