package io.github.pixmapcache.internal.imageio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** The fixed parts of a PNG file (PNG spec 5): signature, IHDR and IEND. */
final class PngChunks {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private PngChunks() {}

    /** The signature and an IHDR for 8-bit samples, no interlace. */
    static void writeHeader(OutputStream out, int width, int height, int colorType) throws IOException {
        out.write(SIGNATURE);
        byte[] header = new byte[13];
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 8;  // bits per sample
        header[9] = (byte) colorType;
        // compression 0 (deflate), filter method 0 (adaptive), interlace 0 (none)
        writeChunk(out, "IHDR", header);
    }

    static void writeEnd(OutputStream out) throws IOException {
        writeChunk(out, "IEND", new byte[0]);
    }

    private static void writeChunk(OutputStream out, String type, byte[] data) throws IOException {
        byte[] chunk = new byte[12 + data.length];
        putInt(chunk, 0, data.length);
        System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, chunk, 4, 4);
        System.arraycopy(data, 0, chunk, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(chunk, 4, 4 + data.length);
        putInt(chunk, 8 + data.length, (int) crc.getValue());
        out.write(chunk);
    }

    /** Big-endian, as every PNG integer. */
    static void putInt(byte[] target, int offset, int value) {
        target[offset] = (byte) (value >>> 24);
        target[offset + 1] = (byte) (value >>> 16);
        target[offset + 2] = (byte) (value >>> 8);
        target[offset + 3] = (byte) value;
    }
}
