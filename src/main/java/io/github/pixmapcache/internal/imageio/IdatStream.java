package io.github.pixmapcache.internal.imageio;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Deflates filtered rows into IDAT chunks of at most {@link #CHUNK_DATA} bytes, each written to the
 * output as soon as it is full: the only buffer is one chunk.
 */
final class IdatStream {
    /** Compressed bytes per IDAT chunk: big enough that chunk overhead (12 bytes) is noise. */
    static final int CHUNK_DATA = 64 * 1024;

    private static final byte[] IDAT = {'I', 'D', 'A', 'T'};

    private final Deflater deflater;
    private final OutputStream out;
    private final CRC32 crc = new CRC32();
    /** {@code [length][type][data...][crc]}: the data starts at 8. */
    private final byte[] chunk = new byte[8 + CHUNK_DATA + 4];
    private int filled;

    IdatStream(Deflater deflater, OutputStream out) {
        this.deflater = deflater;
        this.out = out;
        System.arraycopy(IDAT, 0, chunk, 4, 4);
    }

    void write(byte[] bytes) throws IOException {
        deflater.setInput(bytes);
        while (!deflater.needsInput()) {
            drain();
        }
    }

    /** Ends the compressed stream and writes the last chunk. */
    void finish() throws IOException {
        deflater.finish();
        while (!deflater.finished()) {
            drain();
        }
        if (filled > 0) {
            emit();
        }
    }

    private void drain() throws IOException {
        filled += deflater.deflate(chunk, 8 + filled, CHUNK_DATA - filled);
        if (filled == CHUNK_DATA) {
            emit();
        }
    }

    private void emit() throws IOException {
        PngChunks.putInt(chunk, 0, filled);
        crc.reset();
        crc.update(chunk, 4, 4 + filled);
        PngChunks.putInt(chunk, 8 + filled, (int) crc.getValue());
        out.write(chunk, 0, 12 + filled);
        filled = 0;
    }
}
