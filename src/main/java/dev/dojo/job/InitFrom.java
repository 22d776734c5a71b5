package dev.dojo.job;

import io.swagger.v3.oas.annotations.media.Schema;

/** Where a warm-started job takes its first weights from: a job, and one of its checkpoints. */
@Schema(example = "{\"job\": \"3f2c…\", \"checkpoint\": 1}")
public record InitFrom(
        @Schema(description = "A job this key may see, of a task with the same network (e.g. mnist weights for fashion-mnist)")
        String job,
        @Schema(description = "Its checkpoint number; default (and in the job view, resolved to) its latest at submit")
        Integer checkpoint) {}
