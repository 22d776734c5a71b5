package dev.dojo.dataset;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * A minimal reader of gzipped tar archives (ustar, with GNU long names and pax path records), enough
 * for an npm package tarball. Entries are streamed; nothing is written to disk here.
 */
final class TarGz {

    /** Receives each regular file; the stream ends at the entry's end and need not be read fully. */
    interface EntryHandler {
        void file(String name, long size, InputStream content) throws IOException;
    }

    private TarGz() {}

    static void read(InputStream tgz, EntryHandler handler) throws IOException {
        InputStream in = new GZIPInputStream(tgz, 1 << 16);
        byte[] header = new byte[512];
        String longName = null;
        while (readBlock(in, header)) {
            if (isZero(header)) {
                return;
            }
            long size = octal(header, 124, 12);
            char type = (char) header[156];
            String name = longName != null ? longName : name(header);
            longName = null;
            Bounded content = new Bounded(in, size);
            switch (type) {
                case 'L' -> longName = trimNul(new String(content.readAllBytes(), StandardCharsets.UTF_8));
                case 'x' -> longName = paxPath(new String(content.readAllBytes(), StandardCharsets.UTF_8));
                case '0', '\0', '7' -> handler.file(name, size, content);
                default -> { } // directories, links, global pax headers: nothing to extract
            }
            content.skipRest();
            long padding = (512 - size % 512) % 512;
            in.skipNBytes(padding);
        }
        throw new EOFException("tar archive ends without its end-of-archive blocks");
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, block.length);
        if (n == 0) {
            return false;
        }
        if (n < block.length) {
            throw new EOFException("tar archive truncated inside a header");
        }
        return true;
    }

    private static String name(byte[] header) {
        String name = field(header, 0, 100);
        boolean ustar = field(header, 257, 5).equals("ustar");
        String prefix = ustar ? field(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String paxPath(String records) {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static long octal(byte[] header, int offset, int length) throws IOException {
        if ((header[offset] & 0x80) != 0) {
            throw new IOException("tar entry too large (base-256 size field)");
        }
        String digits = field(header, offset, length).trim();
        if (digits.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(digits, 8);
        } catch (NumberFormatException e) {
            throw new IOException("corrupt tar header: size \"" + digits + "\"");
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String trimNul(String s) {
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of one entry; never reads into the next header. */
    private static final class Bounded extends FilterInputStream {
        private long left;

        Bounded(InputStream in, long size) {
            super(in);
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("tar archive truncated inside an entry");
            }
            left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("tar archive truncated inside an entry");
            }
            left -= n;
            return n;
        }

        @Override
        public void close() {
            // the archive stream stays open for the next entry
        }

        void skipRest() throws IOException {
            in.skipNBytes(left);
            left = 0;
        }
    }
}
