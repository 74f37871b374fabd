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
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fills the cache with strips from passes over source files ({@link RowStream}, {@link PyramidBuilder}).
 *
 * <ul>
 *   <li><b>The whole pass.</b> A request for a strip of one of a source's {@link Pyramid#keptFrom
 *       kept levels} that is not cached reads the file once and caches every strip of those levels:
 *       every coarser scale is derived from the decoded pixels, not decoded again. Concurrent
 *       requests for the source share that one pass; once it ends it is forgotten, so a source
 *       whose strips were evicted gets a whole pass again; one whose coarsest strip is still cached
 *       gets a strip's pass for each strip that was evicted. A request that missed just before a
 *       pass cached its strip, and claims the next pass just after that one ended, looks again
 *       first: no second pass.</li>
 *   <li><b>A strip's pass.</b> A strip finer than the kept levels that is not cached is loaded by
 *       {@code computeIfAbsent}, one load per strip however many ask, from a pass over the file rows
 *       under it alone; that pass also caches every other strip, at any level, whose rows it made
 *       whole (the cache's eviction decides what stays).</li>
 * </ul>
 * A pass holds a window of decoded rows and one unfinished strip per level it caches, never the
 * image. These transient bytes are outside the cache's budget, so passes take them from a
 * {@link #TRANSIENT_SHARE share} of it first: passes beyond it wait, and native memory stays near
 * the budget however many cold sources are asked for at once.
 *
 * <p>{@link #hits} and {@link #misses} count each lease once (the cache's own counters see a miss's
 * lookups again, after its pass).
 */
final class StripDecoder {
    /**
     * A whole pass caches the levels that fit this fraction of the cache: a 6000x4000 photograph's
     * whole pyramid (122 MiB) under 512 MiB, so that one pass serves every scale a viewer asks for,
     * and four such sources stay cached together; the finer levels of larger sources are cached strip
     * by strip.
     */
    static final int KEPT_SHARE = 4;
    /** Running passes' transient bytes stay within this fraction of the cache's budget (one pass may exceed it alone). */
    static final int TRANSIENT_SHARE = 4;
    /** Rows a pass holds besides its strips: {@link RowStream}'s window, its samples and its pixels. */
    private static final long WINDOW_BYTES = 3L << 20;
    /** A permit of {@link #transientMemory} is 64 KiB. */
    private static final int PERMIT_SHIFT = 16;

    private final PixmapCache<StripKey> cache;
    private final long stripBytes;
    private final AtomicLong decodes = new AtomicLong();
    /** Passes running now, and the most that ever ran at once. */
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();
    /** Leases whose strip was cached, and leases that ran or waited for a pass: one count per lease. */
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    /** Whole passes running now, one per source; each is taken out when it ends, failed or not. */
    private final ConcurrentMap<SourceImage, CompletableFuture<Void>> wholePasses;
    /** Running passes' transient memory, in permits; fair, so that a large pass is not passed over for ever. */
    private final Semaphore transientMemory;
    /** All permits: a pass needing more takes them all and runs alone. */
    private final int transientPermits;

    StripDecoder(PixmapCache<StripKey> cache, long stripBytes) {
        this(cache, stripBytes, new ConcurrentHashMap<>());
    }

    /** With {@code wholePasses} as the map of running whole passes (a test's, to order a race). */
    StripDecoder(PixmapCache<StripKey> cache, long stripBytes, ConcurrentMap<SourceImage, CompletableFuture<Void>> wholePasses) {
        this.cache = cache;
        this.wholePasses = wholePasses;
        this.stripBytes = stripBytes;
        this.transientPermits = (int) Math.max(1, Math.min(Integer.MAX_VALUE, cache.maximumBytes() / TRANSIENT_SHARE >> PERMIT_SHIFT));
        this.transientMemory = new Semaphore(transientPermits, true);
    }

    /** Passes over source files so far: whole passes and strips' passes. */
    long decodes() {
        return decodes.get();
    }

    /** {@return leases so far whose strip was cached} */
    long hits() {
        return hits.sum();
    }

    /** {@return leases so far whose strip a pass had to make, run here or waited for} */
    long misses() {
        return misses.sum();
    }

    /** The most passes that ran at once so far. */
    int mostPassesAtOnce() {
        return mostRunning.get();
    }

    /** Whole passes running now: none once every pass has ended. */
    int wholePassesRunning() {
        return wholePasses.size();
    }

    Pyramid pyramid(SourceImage source) {
        return new Pyramid(source, stripBytes);
    }

    /** The strip, decoded first if it is not cached; close the lease. */
    PixmapLease lease(StripKey key) {
        PixmapLease cached = cache.find(key);
        if (cached != null) {
            hits.increment();
            return cached;
        }
        misses.increment();
        Pyramid pyramid = pyramid(key.source());
        int kept = pyramid.keptFrom(cache.maximumBytes() / KEPT_SHARE);
        if (key.level() >= kept && !resident(pyramid)) {
            PixmapLease made = wholePass(pyramid, kept, key);
            if (made != null) {
                return made;
            }
        }
        // After a whole pass the strip is cached unless evicted since; below the kept levels, or of a
        // source whose other strips are cached, it is not: its own pass loads it.
        return cache.computeIfAbsent(key, (wanted, allocator) -> stripPass(pyramid, wanted, allocator));
    }

    /**
     * Whether the source's coarsest strip is cached: then a whole pass made it, and a strip of the
     * kept levels missing now was evicted since (least recently used: a full-resolution strip no
     * session looked at lately, while every session reads the coarse ones). Its own pass loads it,
     * decoding the file's rows down to it, not the whole file, and caching it alone, not the whole
     * pyramid again over other sources' strips.
     */
    private boolean resident(Pyramid pyramid) {
        try (PixmapLease coarsest = cache.find(new StripKey(pyramid.source(), pyramid.levels() - 1, 0))) {
            return coarsest != null;
        }
    }

    /**
     * Runs the source's whole pass, or waits for the one running. Null when a pass ran; the strip
     * {@code wanted} when a pass that cached it ended between the caller's miss and this call.
     */
    private PixmapLease wholePass(Pyramid pyramid, int kept, StripKey wanted) {
        SourceImage source = pyramid.source();
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> pass = wholePasses.putIfAbsent(source, mine);
        if (pass != null) {
            try {
                pass.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            return null;
        }
        try {
            PixmapLease since = cache.find(wanted);
            if (since == null) {
                run(pyramid, 0, pyramid.height(pyramid.baseLevel()), kept, pyramid.levels() - 1,
                        (key, strip) -> cache.insert(key, strip));
            }
            mine.complete(null);
            return since;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            wholePasses.remove(source, mine);
        }
    }

    /** The loader of one strip: a pass over the base rows under it, caching every other strip it makes whole. */
    private Pixmap stripPass(Pyramid pyramid, StripKey wanted, PixmapAllocator allocator) {
        int level = wanted.level();
        int base = pyramid.baseLevel();
        int perStrip = pyramid.rowsPerStrip(level);
        int top = wanted.strip() * perStrip;
        int bottom = Math.min(pyramid.height(level), top + perStrip);
        Pixmap[] result = new Pixmap[1];
        run(pyramid, top << (level - base), (int) Math.min(pyramid.height(base), (long) bottom << (level - base)),
                base, level, (key, strip) -> {
                    if (key.equals(wanted)) {
                        result[0] = allocator.allocateConfined(strip.width(), strip.height(), strip.format());
                        MemorySegment.copy(strip.segment(), 0, result[0].segment(), 0, strip.byteSize());
                    } else {
                        cache.insert(key, strip);
                    }
                });
        if (result[0] == null) {
            throw new IllegalStateException("a pass over " + pyramid.source().file() + " did not make " + wanted);
        }
        return result[0];
    }

    private void run(Pyramid pyramid, int top, int bottom, int lowestKept, int highest, PyramidBuilder.Strips sink) {
        int permits = (int) Math.min(transientPermits, transientBytes(pyramid, lowestKept, highest) + (1 << PERMIT_SHIFT) - 1
                >> PERMIT_SHIFT);
        transientMemory.acquireUninterruptibly(permits);
        mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        try (Arena arena = Arena.ofConfined()) {
            decodes.incrementAndGet();
            RowStream.decode(pyramid, top, bottom, new PyramidBuilder(pyramid, lowestKept, highest, sink, arena));
        } catch (IOException e) {
            throw new SourceRefused(pyramid.source().file(), e);
        } finally {
            running.decrementAndGet();
            transientMemory.release(permits);
        }
    }

    /** What a pass holds outside the cache: its rows, and one strip per level it caches (a whole decode's pixels where the reader does not stream). */
    private long transientBytes(Pyramid pyramid, int lowestKept, int highest) {
        long bytes = pyramid.source().streams() ? WINDOW_BYTES : pyramid.bytes(pyramid.baseLevel());
        for (int level = Math.max(lowestKept, pyramid.baseLevel()); level <= highest; level++) {
            bytes += 4L * pyramid.width(level) * pyramid.rowsPerStrip(level);
        }
        return bytes;
    }
}
