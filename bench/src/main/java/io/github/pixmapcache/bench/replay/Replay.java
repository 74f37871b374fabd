package io.github.pixmapcache.bench.replay;

import io.github.pixmapcache.EvictionPolicy;
import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import java.lang.foreign.Arena;

/**
 * Replays a trace through a real {@link PixmapCache}: a find per request, and on a miss an insert
 * of a one-row {@link PixelFormat#GRAY_8} pixmap. Count-based, every pixmap is 4 bytes (the
 * smallest a pixmap takes) and the budget 4 bytes per entry; size-aware, a pixmap is as wide as
 * the object is large, so the cache charges the size rounded up to a multiple of 4 (Qt's row
 * alignment), and the budget is the byte capacity itself.
 */
final class Replay {
    static final int UNIT = 4;

    private Replay() {}

    /** Hits and hit bytes of {@code trace} under {@code policy}, with room for {@code capacity} entries or bytes. */
    static Result run(Trace trace, Mode mode, long capacity, EvictionPolicy policy) {
        int[] ids = mode == Mode.SIZE ? trace.objects() : trace.keys();
        long maximumBytes = mode == Mode.SIZE ? capacity : capacity * UNIT;
        long hits = 0;
        long hitBytes = 0;
        long requestedBytes = 0;
        try (Arena arena = Arena.ofConfined();
                PixmapCache<Integer> cache = PixmapCache.<Integer>builder()
                        .maximumBytes(maximumBytes).evictionPolicy(policy).build()) {
            Pixmap unit = Pixmap.allocate(arena, UNIT, 1, PixelFormat.GRAY_8);
            for (int i = 0; i < ids.length; i++) {
                Integer key = ids[i];
                long size = trace.hasSizes() ? trace.sizes()[i] : UNIT;
                requestedBytes += size;
                try (PixmapLease lease = cache.find(key)) {
                    if (lease != null) {
                        hits++;
                        hitBytes += size;
                        continue;
                    }
                }
                if (mode == Mode.SIZE) {
                    try (Arena pixels = Arena.ofConfined()) {
                        cache.insert(key, Pixmap.allocate(pixels, (int) size, 1, PixelFormat.GRAY_8));
                    }
                } else {
                    cache.insert(key, unit);
                }
            }
        }
        return new Result(100.0 * hits / ids.length, 100.0 * hitBytes / requestedBytes);
    }

    /** The hit ratio and the byte hit ratio, in percent. */
    record Result(double hitRatio, double byteHitRatio) {}
}
