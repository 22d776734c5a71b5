/** Predictions: a cache of models loaded from checkpoints, instance decoding, and the predict API. */
package dev.dojo.prediction;
