package io.github.pixmapcache.server.iiif;

import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapAllocator;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fills the cache with strips from passes over source files ({@link RowStream}, {@link PyramidBuilder}).
 *
 * <ul>
 *   <li><b>The whole pass.</b> The first request for a source at one of its {@link Pyramid#keptFrom
 *       kept levels} reads the file once and caches every strip of those levels: every coarser
 *       scale is derived from the decoded pixels, not decoded again. Concurrent requests for the
 *       source share that one pass.</li>
 *   <li><b>A strip's pass.</b> A strip that is not cached (finer than the kept levels, or evicted)
 *       is loaded by {@code computeIfAbsent}, one load per strip however many ask, from a pass over
 *       the file rows under it alone; that pass also caches the kept strips of finer levels whose
 *       rows it made whole.</li>
 * </ul>
 * A pass holds a window of decoded rows and one unfinished strip per kept level, never the image.
 */
final class StripDecoder {
    /**
     * A whole pass caches the levels that fit this fraction of the cache: small enough that the
     * coarse levels of many sources stay cached together while viewers open them at once (with a
     * quarter, 16 concurrent whole passes of 6000x4000 photographs evicted each other's strips and
     * every evicted coarse strip read its whole file again); the finer strips come and go one by one.
     */
    static final int KEPT_SHARE = 32;

    private final PixmapCache<StripKey> cache;
    private final long stripBytes;
    private final AtomicLong decodes = new AtomicLong();
    /** Sources whose whole pass has run or runs now; a failed pass is taken out, so that the next request tries again. */
    private final ConcurrentHashMap<SourceImage, CompletableFuture<Void>> wholePasses = new ConcurrentHashMap<>();

    StripDecoder(PixmapCache<StripKey> cache, long stripBytes) {
        this.cache = cache;
        this.stripBytes = stripBytes;
    }

    /** Passes over source files so far: whole passes and strips' passes. */
    long decodes() {
        return decodes.get();
    }

    Pyramid pyramid(SourceImage source) {
        return new Pyramid(source, stripBytes);
    }

    /** The strip, decoded first if it is not cached; close the lease. */
    PixmapLease lease(StripKey key) {
        Pyramid pyramid = pyramid(key.source());
        int kept = pyramid.keptFrom(cache.maximumBytes() / KEPT_SHARE);
        if (key.level() >= kept) {
            wholePass(pyramid, kept);
        }
        return cache.computeIfAbsent(key, (wanted, allocator) -> stripPass(pyramid, kept, wanted, allocator));
    }

    private void wholePass(Pyramid pyramid, int kept) {
        SourceImage source = pyramid.source();
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> pass = wholePasses.putIfAbsent(source, mine);
        if (pass != null) {
            try {
                pass.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            return;
        }
        try {
            run(pyramid, 0, pyramid.height(pyramid.baseLevel()), kept, pyramid.levels() - 1,
                    (key, strip) -> cache.insert(key, strip));
            mine.complete(null);
        } catch (RuntimeException e) {
            wholePasses.remove(source, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** The loader of one strip: a pass over the base rows under it, caching the kept finer strips it makes whole. */
    private Pixmap stripPass(Pyramid pyramid, int kept, StripKey wanted, PixmapAllocator allocator) {
        int level = wanted.level();
        int base = pyramid.baseLevel();
        int perStrip = pyramid.rowsPerStrip(level);
        int top = wanted.strip() * perStrip;
        int bottom = Math.min(pyramid.height(level), top + perStrip);
        Pixmap[] result = new Pixmap[1];
        run(pyramid, top << (level - base), (int) Math.min(pyramid.height(base), (long) bottom << (level - base)),
                Math.min(kept, level), level, (key, strip) -> {
                    if (key.equals(wanted)) {
                        result[0] = allocator.allocate(strip.width(), strip.height(), strip.format());
                        MemorySegment.copy(strip.segment(), 0, result[0].segment(), 0, strip.byteSize());
                    } else if (key.level() >= kept) {
                        cache.insert(key, strip);
                    }
                });
        if (result[0] == null) {
            throw new IllegalStateException("a pass over " + pyramid.source().file() + " did not make " + wanted);
        }
        return result[0];
    }

    private void run(Pyramid pyramid, int top, int bottom, int lowestKept, int highest, PyramidBuilder.Strips sink) {
        decodes.incrementAndGet();
        try (Arena arena = Arena.ofConfined()) {
            RowStream.decode(pyramid, top, bottom, new PyramidBuilder(pyramid, lowestKept, highest, sink, arena));
        } catch (IOException e) {
            throw new SourceRefused(pyramid.source().file(), e);
        }
    }
}
