package dev.dojo.job;

import java.util.List;

/** One page of a list, with what a client needs to fetch the next. */
public record PageView<T>(List<T> items, int page, int size, long totalItems, int totalPages) {}
