package dev.dojo.prediction;

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
 * images themselves were made.
 */
final class DigitImages {

    static final int SIDE = 28;
    private static final int BOX = 20;
    static final long MAX_PIXELS = 4_000_000;

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

    /** Decodes PNG/JPEG/GIF/BMP bytes; refuses what is not an image or is larger than {@link #MAX_PIXELS}. */
    static BufferedImage decode(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IllegalArgumentException("is not a PNG, JPEG, GIF or BMP image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new IllegalArgumentException("is " + reader.getWidth(0) + "×" + reader.getHeight(0)
                            + " pixels; at most " + MAX_PIXELS / 1_000_000 + " megapixels are accepted");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException("is not a readable image (" + e.getMessage() + ")");
        }
    }

    /** Grey values in [0, 1], row-major, 28×28, ready for the model. */
    static float[] toMnist(BufferedImage image, Invert invert) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] grey = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                double alpha = ((argb >>> 24) & 0xff) / 255.0;
                double luminance = (0.299 * ((argb >> 16) & 0xff) + 0.587 * ((argb >> 8) & 0xff) + 0.114 * (argb & 0xff)) / 255.0;
                // Transparent pixels count as background: black once the image is the MNIST way round.
                grey[y * w + x] = (float) (luminance * alpha + (image.getColorModel().hasAlpha() ? (1 - alpha) * borderGuess(invert) : 0));
            }
        }
        if (invert == Invert.TRUE || (invert == Invert.AUTO && borderMean(grey, w, h) > 0.5)) {
            for (int i = 0; i < grey.length; i++) {
                grey[i] = 1 - grey[i];
            }
        }
        return centre(grey, w, h);
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
