package dev.dojo.training;

/** What one instance of a task's input is, as a prediction request sends it. */
public sealed interface InputKind {

    /** One number per instance (the sine task's x). */
    record Number() implements InputKind {}

    /** A grey image per instance, {@code rows} × {@code cols} pixels. */
    record GreyImage(int rows, int cols) implements InputKind {}
}
