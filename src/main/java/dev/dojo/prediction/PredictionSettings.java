package dev.dojo.prediction;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param cacheSize how many loaded models to keep; the least recently used is closed first
 * @param maxInstances the most instances one request may carry
 */
@Validated
@ConfigurationProperties("dojo.prediction")
record PredictionSettings(
        @DefaultValue("8") @Min(1) @Max(1000) int cacheSize,
        @DefaultValue("1024") @Min(1) @Max(100_000) int maxInstances) {}
