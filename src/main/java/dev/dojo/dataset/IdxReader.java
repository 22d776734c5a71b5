package dev.dojo.dataset;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format), plain or gzipped. A file is read whole and checked whole
 * before anything is returned: a wrong magic number, odd dimensions, a short or overlong body or a
 * broken gzip stream is refused with a {@link DatasetUnavailableException}, never half-read.
 */
public final class IdxReader {

    /** Unsigned bytes, one dimension. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Unsigned bytes, three dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;

    private IdxReader() {}

    /** Images: the pixel bytes stay in {@code data} from {@code offset} on, row-major, one image after another. */
    public record Images(byte[] data, int offset, int count, int rows, int cols) {}

    /** Labels: {@code count} bytes in {@code data} from {@code offset} on. */
    public record Labels(byte[] data, int offset, int count) {}

    /** Checks an uncompressed IDX image file held in memory; the array is kept, not copied. */
    public static Images images(String name, byte[] content) {
        int[] dims = header(name, content, IMAGES_MAGIC, "images");
        if (dims[1] == 0 || dims[2] == 0) {
            throw broken(name, "images of " + dims[1] + "×" + dims[2] + " pixels");
        }
        checkLength(name, content, 16, (long) dims[0] * dims[1] * dims[2],
                dims[0] + " images of " + dims[1] + "×" + dims[2]);
        return new Images(content, 16, dims[0], dims[1], dims[2]);
    }

    /** Checks an uncompressed IDX label file held in memory; the array is kept, not copied. */
    public static Labels labels(String name, byte[] content) {
        int[] dims = header(name, content, LABELS_MAGIC, "labels");
        checkLength(name, content, 8, dims[0], dims[0] + " labels");
        return new Labels(content, 8, dims[0]);
    }

    /** The file's bytes, gunzipped when the file starts with the gzip magic (whatever its name). */
    public static byte[] readBytes(Path file) {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = raw.markSupported() ? raw : new java.io.BufferedInputStream(raw, 1 << 16);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try (GZIPInputStream gz = new GZIPInputStream(in, 1 << 16)) {
                    return gz.readAllBytes();
                } catch (EOFException | ZipException e) {
                    throw broken(file.toString(), "the gzip stream is truncated or corrupt (" + e.getMessage() + ")");
                }
            }
            return in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new DatasetUnavailableException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static int[] header(String name, byte[] content, int magic, String kind) {
        int dimensions = magic & 0xff;
        int headerLength = 4 + 4 * dimensions;
        if (content.length < headerLength) {
            throw broken(name, "only " + content.length + " bytes, shorter than the " + headerLength + "-byte IDX " + kind + " header");
        }
        ByteBuffer buffer = ByteBuffer.wrap(content);
        int found = buffer.getInt();
        if (found != magic) {
            throw broken(name, String.format("magic number 0x%08X, expected 0x%08X (IDX %s)", found, magic, kind));
        }
        int[] dims = new int[dimensions];
        for (int i = 0; i < dimensions; i++) {
            dims[i] = buffer.getInt();
            if (dims[i] < 0) {
                throw broken(name, "dimension " + i + " is negative in the header (" + Integer.toUnsignedString(dims[i]) + ")");
            }
        }
        return dims;
    }

    private static void checkLength(String name, byte[] content, int headerLength, long bodyLength, String what) {
        long expected = headerLength + bodyLength;
        if (content.length < expected) {
            throw broken(name, "truncated: the header announces " + what + " (" + expected + " bytes) but the file holds "
                    + content.length + " bytes");
        }
        if (content.length > expected) {
            throw broken(name, "has " + (content.length - expected) + " bytes after the " + what + " its header announces");
        }
    }

    private static DatasetUnavailableException broken(String name, String problem) {
        return new DatasetUnavailableException(name + ": not a valid IDX file: " + problem);
    }
}
