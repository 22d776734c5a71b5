/**
 * Trained weights in formats other tools read: {@code GET /api/jobs/{id}/export} turns a checkpoint into
 * a safetensors file named as the seed lesson's PyTorch modules name their parameters (docs/export.md).
 */
package dev.dojo.export;
