package dev.dojo.training;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The checkpoint format: a ZIP archive with three entries.
 *
 * <ul>
 *   <li>{@code checkpoint.properties}: format, task, epoch, step, optimizer, optimizer steps, layers;
 *   <li>{@code parameters.djl}: the block's parameters as written by DJL's {@code Block.saveParameters},
 *       so plain DJL reads them back with {@code Block.loadParameters};
 *   <li>{@code optimizer.ndlist}: the optimizer buffers as an {@code NDList.encode()} list.
 * </ul>
 */
public final class CheckpointCodec {

    public static final String FORMAT = "dojo-checkpoint/1";
    static final String META = "checkpoint.properties";
    static final String PARAMETERS = "parameters.djl";
    static final String OPTIMIZER = "optimizer.ndlist";

    /** The decoded entries of one checkpoint. */
    public record Contents(Properties meta, byte[] parameters, byte[] optimizer) {

        public int epoch() {
            return Integer.parseInt(meta.getProperty("epoch"));
        }

        public long step() {
            return Long.parseLong(meta.getProperty("step"));
        }
    }

    private CheckpointCodec() {}

    static byte[] encode(Properties meta, byte[] parameters, byte[] optimizer) {
        meta.setProperty("format", FORMAT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(parameters.length + optimizer.length + 1024);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            StringWriter text = new StringWriter();
            meta.store(text, "Dojo checkpoint");
            put(zip, META, text.toString().getBytes(StandardCharsets.UTF_8));
            put(zip, PARAMETERS, parameters);
            put(zip, OPTIMIZER, optimizer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads a checkpoint; refuses anything that is not a complete Dojo checkpoint. */
    public static Contents decode(byte[] checkpoint) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(checkpoint))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
            Properties meta = new Properties();
            byte[] metaBytes = entries.get(META);
            if (metaBytes == null || entries.get(PARAMETERS) == null || entries.get(OPTIMIZER) == null) {
                throw new IllegalArgumentException("not a Dojo checkpoint: entries " + entries.keySet());
            }
            meta.load(new StringReader(new String(metaBytes, StandardCharsets.UTF_8)));
            if (!FORMAT.equals(meta.getProperty("format"))) {
                throw new IllegalArgumentException("unknown checkpoint format " + meta.getProperty("format"));
            }
            return new Contents(meta, entries.get(PARAMETERS), entries.get(OPTIMIZER));
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable checkpoint: " + e.getMessage(), e);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }
}
