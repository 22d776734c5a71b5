package dev.dojo.prediction;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param cacheSize how many loaded models to keep; the least recently used is closed first
 * @param maxInstances the most instances one request may carry
 * @param maxImagePixels the most pixels one image may have (width × height, as its header claims, checked before decoding)
 * @param maxRequestPixels the most pixels the images of one request may have together, checked before any is decoded
 * @param batch dynamic batching of concurrent requests for one model ({@link PredictionBatches})
 */
@Validated
@ConfigurationProperties("dojo.prediction")
record PredictionSettings(
        @DefaultValue("8") @Min(1) @Max(1000) int cacheSize,
        @DefaultValue("1024") @Min(1) @Max(100_000) int maxInstances,
        @DefaultValue("4000000") @Min(784) @Max(100_000_000) long maxImagePixels,
        @DefaultValue("8000000") @Min(784) @Max(1_000_000_000) long maxRequestPixels,
        @DefaultValue @NotNull @Valid Batch batch) {

    /**
     * @param maxSize the most instances one forward pass gathers from concurrent requests; 1 turns batching off
     * @param maxDelay the longest the first request of a batch waits for others to join it
     * @param waitFor whether the first request stops waiting once no other request for the job is on its way
     *             ({@code arrivals}), always waits {@code maxDelay} for company ({@code delay}, as Triton's and
     *             TorchServe's batchers do), or does the latter only while other requests for the job are in
     *             flight ({@code auto})
     */
    record Batch(
            @DefaultValue("64") @Min(1) @Max(4096) int maxSize,
            @DefaultValue("2ms") @NotNull Duration maxDelay,
            @DefaultValue("auto") @NotNull Wait waitFor) {

        public Batch {
            if (maxDelay != null && (maxDelay.isNegative() || maxDelay.compareTo(Duration.ofSeconds(1)) > 0)) {
                throw new IllegalArgumentException("dojo.prediction.batch.max-delay must be from 0 to 1s, was " + maxDelay);
            }
        }
    }

    /** How long the first request of a batch waits for others. */
    enum Wait {
        /** Until the batch is full, max-delay has passed, or no other request for the job is being decoded. */
        ARRIVALS,
        /** Until the batch is full or max-delay has passed. */
        DELAY,
        /** As DELAY while other requests for the job are in flight (decoding, batched or in a pass), else as ARRIVALS. */
        AUTO
    }

    public PredictionSettings {
        if (maxRequestPixels < maxImagePixels) {
            throw new IllegalArgumentException("dojo.prediction.max-request-pixels (" + maxRequestPixels
                    + ") must be at least dojo.prediction.max-image-pixels (" + maxImagePixels + ")");
        }
    }

    PixelBudget pixelBudget() {
        return new PixelBudget(maxImagePixels, maxRequestPixels);
    }
}
