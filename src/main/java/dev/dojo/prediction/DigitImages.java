package dev.dojo.prediction;

import dev.dojo.dataset.MnistFiles;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns an image of any size into what an MNIST model expects: 28×28 grey values in [0, 1], a white
 * digit on black, the ink scaled into a 20×20 box and centred by its centre of mass, as the MNIST
 * images themselves were made. An image that is already shaped that way keeps its pixels.
 */
final class DigitImages {

    /** The side of an MNIST image, as the data set defines it. */
    static final int SIDE = MnistFiles.SIDE;
    private static final int BOX = 20;

    /** What to do about dark ink on a light background. */
    enum Invert {
        /** Invert when the image's border is mostly light: a drawing or a photo of paper. */
        AUTO,
        /** Always invert: the image is dark-on-light. */
        TRUE,
        /** Never invert: the image is already light-on-dark, as MNIST is. */
        FALSE
    }

    private DigitImages() {}

    /** An image's size as its header states it, read without decoding a pixel. */
    record Size(int width, int height) {
        long pixels() {
            return (long) width * height;
        }
    }

    /**
     * Reads only the header: the size an image claims. A small file can claim a huge image (a PNG of
     * zeros compresses a thousandfold), so every limit is checked against this before any decoding.
     *
     * @throws IllegalArgumentException when the bytes are not a PNG, JPEG, GIF or BMP image
     */
    static Size probe(byte[] bytes) {
        return withReader(bytes, reader -> new Size(reader.getWidth(0), reader.getHeight(0)));
    }

    /**
     * Decodes PNG/JPEG/GIF/BMP bytes whose header claims at most {@code maxPixels} pixels; the claim
     * is checked again here, before decoding, whatever the caller checked.
     */
    static BufferedImage decode(byte[] bytes, long maxPixels) {
        return withReader(bytes, reader -> {
            Size size = new Size(reader.getWidth(0), reader.getHeight(0));
            if (size.pixels() > maxPixels) {
                throw new Refused(tooLarge(size, maxPixels));
            }
            return reader.read(0);
        });
    }

    static String tooLarge(Size size, long maxPixels) {
        return "is " + size.width() + "×" + size.height() + " pixels; at most " + maxPixels
                + " pixels per image are accepted (dojo.prediction.max-image-pixels)";
    }

    /** An image refused for a reason the client may read (as opposed to a decoder's own failure). */
    private static final class Refused extends IllegalArgumentException {
        Refused(String message) {
            super(message);
        }
    }

    private interface ReaderStep<T> {
        T apply(ImageReader reader) throws IOException;
    }

    private static <T> T withReader(byte[] bytes, ReaderStep<T> step) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new Refused("is not a PNG, JPEG, GIF or BMP image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return step.apply(reader);
            } finally {
                reader.dispose();
            }
        } catch (Refused e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // The decoder's own message can name its classes; the client learns only that the image is broken.
            throw new IllegalArgumentException("is not a readable PNG, JPEG, GIF or BMP image (truncated or corrupt)");
        }
    }

    /**
     * Grey values in [0, 1], row-major, 28×28, ready for the model. An image that is already an
     * MNIST digit (see {@link #framedLikeMnist}) keeps its pixels exactly, so that a test digit sent as
     * a PNG means what its array means; any other image is cropped, scaled and centred.
     */
    static float[] toMnist(BufferedImage image, Invert invert) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] grey = grey(image, invert);
        if (invert == Invert.TRUE || (invert == Invert.AUTO && borderMean(grey, w, h) > 0.5)) {
            for (int i = 0; i < grey.length; i++) {
                grey[i] = 1 - grey[i];
            }
        }
        return framedLikeMnist(grey, w, h) ? grey : centre(grey, w, h);
    }

    /**
     * The image's grey values. An 8-bit grey image (with or without alpha) is read sample by sample:
     * {@code getRGB} would convert it from Java's linear grey colour space to sRGB and change every
     * mid-tone (a 128 comes back as 186).
     */
    private static float[] grey(BufferedImage image, Invert invert) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] grey = new float[w * h];
        var raster = image.getRaster();
        int bands = raster.getNumBands();
        boolean plainGrey = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && (bands == 1 || bands == 2) && raster.getSampleModel().getSampleSize(0) == 8;
        boolean alpha = image.getColorModel().hasAlpha();
        if (plainGrey && bands == 1) {
            // Divided as the array path divides 0–255 values, so that the same pixels give the same floats.
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    grey[y * w + x] = raster.getSample(x, y, 0) / 255f;
                }
            }
            return grey;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double luminance;
                double opacity;
                if (plainGrey) {
                    luminance = raster.getSample(x, y, 0) / 255.0;
                    opacity = bands == 2 ? raster.getSample(x, y, 1) / 255.0 : 1;
                } else {
                    int argb = image.getRGB(x, y);
                    opacity = ((argb >>> 24) & 0xff) / 255.0;
                    luminance = (0.299 * ((argb >> 16) & 0xff) + 0.587 * ((argb >> 8) & 0xff) + 0.114 * (argb & 0xff)) / 255.0;
                }
                // Transparent pixels count as background: black once the image is the MNIST way round.
                grey[y * w + x] = (float) (luminance * opacity + (alpha ? (1 - opacity) * borderGuess(invert) : 0));
            }
        }
        return grey;
    }

    /**
     * Whether a light-on-dark image is already shaped as MNIST's digits are: 28×28, its ink's bounding
     * box 18 to 21 pixels on its longer side (every MNIST digit's is 19 or 20), and its centre of mass
     * within 1.5 pixels of the centre (every MNIST digit's is within 0.5). Such an image is left alone;
     * normalising it again would move and resample ink the model was trained to see where it is.
     */
    static boolean framedLikeMnist(float[] grey, int w, int h) {
        if (w != SIDE || h != SIDE) {
            return false;
        }
        int minX = SIDE, minY = SIDE, maxX = -1, maxY = -1;
        double mass = 0, cx = 0, cy = 0;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                float v = grey[y * SIDE + x];
                if (v > 0) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                    mass += v;
                    cx += v * x;
                    cy += v * y;
                }
            }
        }
        if (mass == 0) {
            return false;
        }
        int longer = Math.max(maxX - minX, maxY - minY) + 1;
        double centre = (SIDE - 1) / 2.0 + 0.5;
        return longer >= 18 && longer <= 21 && Math.abs(cx / mass - centre) <= 1.5 && Math.abs(cy / mass - centre) <= 1.5;
    }

    private static double borderGuess(Invert invert) {
        return invert == Invert.FALSE ? 0 : 1;
    }

    private static double borderMean(float[] grey, int w, int h) {
        double sum = 0;
        int n = 0;
        for (int x = 0; x < w; x++) {
            sum += grey[x] + grey[(h - 1) * w + x];
            n += 2;
        }
        for (int y = 0; y < h; y++) {
            sum += grey[y * w] + grey[y * w + w - 1];
            n += 2;
        }
        return sum / n;
    }

    /** Crops to the ink, scales it into a 20×20 box (keeping its shape), centres its mass in 28×28. */
    private static float[] centre(float[] grey, int w, int h) {
        int minX = w, minY = h, maxX = -1, maxY = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (grey[y * w + x] > 0.1f) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        float[] out = new float[SIDE * SIDE];
        if (maxX < 0) {
            return out;
        }
        int cw = maxX - minX + 1;
        int ch = maxY - minY + 1;
        double scale = (double) BOX / Math.max(cw, ch);
        int sw = Math.max(1, (int) Math.round(cw * scale));
        int sh = Math.max(1, (int) Math.round(ch * scale));
        float[] box = new float[sw * sh];
        // Area averaging: each target pixel is the mean of the source pixels it covers.
        for (int ty = 0; ty < sh; ty++) {
            for (int tx = 0; tx < sw; tx++) {
                double x0 = minX + tx / scale, x1 = minX + (tx + 1) / scale;
                double y0 = minY + ty / scale, y1 = minY + (ty + 1) / scale;
                double sum = 0, area = 0;
                for (int sy = (int) Math.floor(y0); sy < Math.ceil(y1) && sy <= maxY; sy++) {
                    double fy = Math.min(y1, sy + 1) - Math.max(y0, sy);
                    for (int sx = (int) Math.floor(x0); sx < Math.ceil(x1) && sx <= maxX; sx++) {
                        double fx = Math.min(x1, sx + 1) - Math.max(x0, sx);
                        double a = fx * fy;
                        if (a > 0) {
                            sum += grey[sy * w + sx] * a;
                            area += a;
                        }
                    }
                }
                box[ty * sw + tx] = area == 0 ? 0 : (float) (sum / area);
            }
        }
        double mass = 0, cx = 0, cy = 0;
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                double v = box[y * sw + x];
                mass += v;
                cx += v * x;
                cy += v * y;
            }
        }
        int offX = (int) Math.round(SIDE / 2.0 - (mass == 0 ? sw / 2.0 : cx / mass + 0.5));
        int offY = (int) Math.round(SIDE / 2.0 - (mass == 0 ? sh / 2.0 : cy / mass + 0.5));
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                int ox = x + offX, oy = y + offY;
                if (ox >= 0 && ox < SIDE && oy >= 0 && oy < SIDE) {
                    out[oy * SIDE + ox] = Math.min(1f, box[y * sw + x]);
                }
            }
        }
        return out;
    }
}
