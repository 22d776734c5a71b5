package dev.dojo.dataset;

/**
 * Labelled grey images held once in memory as the IDX files' own uint8 bytes. Batches read from it
 * directly ({@link #copyScaled}), so nothing is copied per epoch or per batch beyond the batch itself.
 */
public final class ImageSet {

    private final IdxReader.Images images;
    private final IdxReader.Labels labels;
    private final int pixelsPerImage;

    /** Pairs images with labels; refuses sets of different sizes and labels outside {@code [0, classes)}. */
    public ImageSet(String name, IdxReader.Images images, IdxReader.Labels labels, int classes) {
        if (images.count() != labels.count()) {
            throw new DatasetUnavailableException(name + ": " + images.count() + " images but " + labels.count() + " labels");
        }
        for (int i = 0; i < labels.count(); i++) {
            int label = labels.data()[labels.offset() + i] & 0xff;
            if (label >= classes) {
                throw new DatasetUnavailableException(name + ": label " + label + " of item " + i + " is not one of the " + classes + " classes");
            }
        }
        this.images = images;
        this.labels = labels;
        this.pixelsPerImage = images.rows() * images.cols();
    }

    public int size() {
        return images.count();
    }

    public int rows() {
        return images.rows();
    }

    public int cols() {
        return images.cols();
    }

    public int pixelsPerImage() {
        return pixelsPerImage;
    }

    public int label(int index) {
        return labels.data()[labels.offset() + index] & 0xff;
    }

    /** Raw uint8 value of one pixel. */
    public int pixel(int index, int row, int col) {
        return images.data()[images.offset() + index * pixelsPerImage + row * images.cols() + col] & 0xff;
    }

    /** Puts the raw uint8 pixels of images {@code from} to {@code from + count - 1}, in order, into {@code target}. */
    public void putPixels(int from, int count, java.nio.ByteBuffer target) {
        target.put(images.data(), images.offset() + from * pixelsPerImage, count * pixelsPerImage);
    }

    /** Writes image {@code index} as floats in [0, 1] (value / 255) into {@code target} from {@code at} on. */
    public void copyScaled(int index, float[] target, int at) {
        byte[] data = images.data();
        int from = images.offset() + index * pixelsPerImage;
        for (int p = 0; p < pixelsPerImage; p++) {
            target[at + p] = (data[from + p] & 0xff) / 255f;
        }
    }
}
