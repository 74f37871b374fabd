package io.github.pixmapcache.server.tiles;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.imageio.PixmapIO;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/** Encodes one tile of a larger pixmap to PNG, reading the region in place, and times it. */
public final class TileEncoder {
    /** A 256x256 PNG of the fractal is mostly 40-120 KB; start the buffer there to avoid regrowth. */
    private static final int INITIAL_BUFFER = 128 << 10;
    private static final long TILE_ROW_BYTES = (long) TileAddress.SIZE * Integer.BYTES;

    private final int compressionLevel;
    private final Timer encodeTime;

    /** @param compressionLevel zlib level, 0..9, or {@link PixmapIO#DEFAULT_PNG_COMPRESSION} */
    public TileEncoder(int compressionLevel, Timer encodeTime) {
        this.compressionLevel = compressionLevel;
        this.encodeTime = encodeTime;
    }

    /** The PNG of the 256x256 region of {@code source} whose top-left pixel is ({@code x}, {@code y}). */
    public byte[] encode(Pixmap source, int x, int y) {
        long start = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream(INITIAL_BUFFER);
        try {
            PixmapIO.writePng(source, x, y, TileAddress.SIZE, TileAddress.SIZE, out, compressionLevel);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG of the region at " + x + "," + y + " of " + source, e);
        }
        encodeTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return out.toByteArray();
    }

    /**
     * The PNG of the 256x256 region at ({@code x}, {@code y}) of an on-heap block of BGRA pixels
     * {@code side} pixels a side: the region is copied into a native pixmap first, as a user of an
     * on-heap cache would have to, so that both caches go through the same encoder.
     */
    public byte[] encode(int[] pixels, int side, int x, int y) {
        try (Arena arena = Arena.ofConfined()) {
            Pixmap tile = Pixmap.allocate(arena, TileAddress.SIZE, TileAddress.SIZE, PixelFormat.BGRA_8888_PRE);
            MemorySegment from = MemorySegment.ofArray(pixels);
            for (int row = 0; row < TileAddress.SIZE; row++) {
                long fromOffset = ((long) (y + row) * side + x) * Integer.BYTES;
                MemorySegment.copy(from, fromOffset, tile.segment(), row * tile.stride(), TILE_ROW_BYTES);
            }
            return encode(tile, 0, 0);
        }
    }
}
