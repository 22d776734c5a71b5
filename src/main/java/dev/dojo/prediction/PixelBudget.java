package dev.dojo.prediction;

import dev.dojo.system.DomainProblem;

/**
 * The pixels one prediction request may have decoded: at most {@code perImage} per image and
 * {@code perRequest} in all, claimed from the images' headers before any image is decoded. A small
 * request can otherwise claim a great deal of work: 256 PNGs of zeros claiming 2000×2000 pixels
 * each fit in 1.4 MB and take a core 20 s to decode.
 */
final class PixelBudget {

    private final long perImage;
    private final long perRequest;
    private long claimed;

    PixelBudget(long perImage, long perRequest) {
        this.perImage = perImage;
        this.perRequest = perRequest;
    }

    long perImage() {
        return perImage;
    }

    /** Claims the pixels of image {@code index}, or refuses the request (400) naming the image or the whole. */
    void claim(int index, DigitImages.Size size) {
        if (size.pixels() > perImage) {
            throw DomainProblem.badInstance(index, DigitImages.tooLarge(size, perImage));
        }
        claimed += size.pixels();
        if (claimed > perRequest) {
            throw DomainProblem.badField("Invalid prediction request", "instances", "the images claim more than "
                    + perRequest + " pixels together; at most that many are decoded per request "
                    + "(dojo.prediction.max-request-pixels): send fewer or smaller images");
        }
    }
}
