package dev.dojo.training;

import dev.dojo.dataset.ImageSet;
import java.util.List;

/** A classifier task's held-out images, with the name of each label. */
public record TestSet(ImageSet images, List<String> classes) {}
