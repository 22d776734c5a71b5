package dev.dojo.training;

import java.util.List;

/** What {@code GET /api/tasks} shows of one task: its defaults and allowed ranges. */
public record TaskDescription(
        String name, String description, List<ParameterInfo> hyperparameters, List<ParameterInfo> data) {}
