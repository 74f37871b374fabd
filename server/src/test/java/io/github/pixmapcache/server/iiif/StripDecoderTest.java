package io.github.pixmapcache.server.iiif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.EvictionPolicy;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The passes of {@link StripDecoder} over real files into a real cache: a source whose strips were
 * evicted gets its whole pass again (its map of passes keeps only the running ones), while one
 * whose coarsest strip is cached gets a pass of the evicted strip's rows alone, a miss that
 * claims a pass just after another pass cached its strip runs none, each lease counts once as a
 * hit or a miss, and passes run together only as far as their transient memory fits a quarter of
 * the budget.
 */
class StripDecoderTest {
    @TempDir
    Path images;

    @Test
    void aSourceWhoseStripsWereEvictedGetsItsWholePassAgain() throws IOException {
        // 1000x1000 under 8 MiB: 2 MiB fits a quarter, so the whole pass keeps levels 1 and up (1.3 MB).
        try (PixmapCache<StripKey> cache = lru(8L << 20)) {
            StripDecoder decoder = new StripDecoder(cache, 1L << 20);
            SourceImage first = source("first.png", 1000, 1000);
            Pyramid pyramid = decoder.pyramid(first);
            int coarsest = pyramid.levels() - 1;
            lease(decoder, new StripKey(first, coarsest, 0));
            assertEquals(1, decoder.decodes());
            assertEquals(0, decoder.wholePassesRunning(), "an ended pass is not kept");
            assertKeptLevelsCached(cache, pyramid, 1);

            for (int i = 0; i < 8; i++) {   // 8 other pyramids of 1.3 MB under 8 MiB: LRU evicts all of the first
                lease(decoder, new StripKey(source("other" + i + ".png", 1000, 1000), 1, 0));
            }
            assertEquals(9, decoder.decodes());
            try (PixmapLease gone = cache.find(new StripKey(first, 1, 0))) {
                assertEquals(null, gone, "the first source's strips were evicted");
            }

            lease(decoder, new StripKey(first, 2, 0));
            assertEquals(10, decoder.decodes(), "the evicted source: one pass again");
            assertKeptLevelsCached(cache, pyramid, 1);   // every kept level, coarser ones too, not only those up to level 2
            lease(decoder, new StripKey(first, coarsest, 0));
            assertEquals(10, decoder.decodes(), "a coarser kept level after that pass: cached");
            assertEquals(0, decoder.wholePassesRunning());
        }
    }

    @Test
    void anEvictedStripOfASourceWhoseCoarsestStripIsCachedGetsItsOwnPassNotAWholeOne() throws IOException {
        // 400x300 under 8 MiB: every level kept (480 KB); 64 KiB strips: 8 of level 0, 13 in all.
        try (PixmapCache<StripKey> cache = lru(8L << 20); Arena arena = Arena.ofConfined()) {
            StripDecoder decoder = new StripDecoder(cache, 64L << 10);
            SourceImage source = source("partly.png", 400, 300);
            Pyramid pyramid = decoder.pyramid(source);
            assertEquals(0, pyramid.keptFrom(cache.maximumBytes() / StripDecoder.KEPT_SHARE));
            StripKey evicted = new StripKey(source, 0, 3);
            Pixmap before;
            try (PixmapLease lease = decoder.lease(evicted)) {
                before = Pixmap.allocate(arena, lease.pixmap().width(), lease.pixmap().height(), lease.pixmap().format());
                MemorySegment.copy(lease.pixmap().segment(), 0, before.segment(), 0, before.byteSize());
            }
            long inserted = cache.stats().insertions();
            assertEquals(13, inserted, "the whole pass cached every strip");
            assertTrue(cache.remove(evicted));

            try (PixmapLease lease = decoder.lease(evicted)) {
                assertTrue(lease.pixmap().contentEquals(before), "the strip decoded from its own rows, pixel for pixel");
            }
            assertEquals(2, decoder.decodes());
            assertEquals(inserted + 1, cache.stats().insertions(), "that strip cached alone, not the pyramid again");
            assertKeptLevelsCached(cache, pyramid, 0);
        }
    }

    @Test
    void aMissWhosePassEndedBeforeItClaimedTheNextFindsTheStripInsteadOfPassingAgain() throws IOException {
        try (PixmapCache<StripKey> cache = lru(8L << 20)) {
            SourceImage source = source("raced.png", 1000, 1000);
            StripDecoder[] decoder = new StripDecoder[1];
            // The first claim of a pass: another request's whole pass over the source runs and ends
            // first, caching the strip this request missed (the window between its find and its claim).
            ConcurrentHashMap<SourceImage, CompletableFuture<Void>> passes = new ConcurrentHashMap<>() {
                private boolean raced;

                @Override
                public CompletableFuture<Void> putIfAbsent(SourceImage key, CompletableFuture<Void> pass) {
                    if (!raced) {
                        raced = true;
                        lease(decoder[0], new StripKey(source, 2, 0));
                    }
                    return super.putIfAbsent(key, pass);
                }
            };
            decoder[0] = new StripDecoder(cache, 1L << 20, passes);
            lease(decoder[0], new StripKey(source, 1, 0));
            assertEquals(1, decoder[0].decodes(), "one pass: the late claim found the strip that pass cached");
            assertEquals(0, decoder[0].wholePassesRunning());
            assertEquals(0, decoder[0].hits());
            assertEquals(2, decoder[0].misses(), "both requests missed");
        }
    }

    @Test
    void eachLeaseCountsOnceAsAHitOrAMiss() throws IOException {
        try (PixmapCache<StripKey> cache = lru(8L << 20)) {
            StripDecoder decoder = new StripDecoder(cache, 1L << 20);
            SourceImage source = source("counted.png", 1000, 1000);
            lease(decoder, new StripKey(source, 1, 0));   // cold, kept level: its whole pass
            assertEquals(0, decoder.hits());
            assertEquals(1, decoder.misses());
            lease(decoder, new StripKey(source, 1, 0));
            lease(decoder, new StripKey(source, 3, 0));   // cached by that pass
            assertEquals(2, decoder.hits());
            assertEquals(1, decoder.misses());
            lease(decoder, new StripKey(source, 0, 0));   // below the kept levels: its strip's pass
            assertEquals(2, decoder.hits());
            assertEquals(2, decoder.misses());
            lease(decoder, new StripKey(source, 0, 0));
            assertEquals(3, decoder.hits());
            assertEquals(2, decoder.misses());
            assertEquals(2, decoder.decodes());
        }
    }

    @Test
    void passesRunTogetherOnlyWithinAQuarterOfTheBudget() throws Exception {
        // 6 MiB of budget: 1.5 MiB for passes, less than one pass's rows (3 MiB): one pass at a time.
        List<SourceImage> sources = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sources.add(source("photo" + i + ".png", 1200, 900));
        }
        try (PixmapCache<StripKey> cache = lru(6L << 20); ExecutorService pool = Executors.newFixedThreadPool(6)) {
            StripDecoder decoder = new StripDecoder(cache, 1L << 20);
            List<Future<?>> done = new ArrayList<>();
            for (SourceImage source : sources) {
                done.add(pool.submit(() -> lease(decoder, new StripKey(source, 0, 1))));
            }
            for (Future<?> future : done) {
                future.get();
            }
            assertEquals(6, decoder.decodes());
            assertEquals(1, decoder.mostPassesAtOnce(), "passes that ran at once within 1.5 MiB");
        }
    }

    private static void assertKeptLevelsCached(PixmapCache<StripKey> cache, Pyramid pyramid, int kept) {
        for (int level = kept; level < pyramid.levels(); level++) {
            for (int strip = 0; strip < pyramid.strips(level); strip++) {
                try (PixmapLease lease = cache.find(new StripKey(pyramid.source(), level, strip))) {
                    assertNotNull(lease, "level " + level + " strip " + strip + " cached");
                }
            }
        }
    }

    private static void lease(StripDecoder decoder, StripKey key) {
        try (PixmapLease lease = decoder.lease(key)) {
            assertEquals(4L * decoder.pyramid(key.source()).width(key.level()), lease.pixmap().stride());
        }
    }

    private static PixmapCache<StripKey> lru(long bytes) {
        return PixmapCache.<StripKey>builder().maximumBytes(bytes).evictionPolicy(EvictionPolicy.LRU).build();
    }

    private SourceImage source(String name, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 7 + name.hashCode()) << 16 & 0xFF0000 | (y * 3) << 8 & 0xFF00 | (x ^ y) & 0xFF);
            }
        }
        Path file = images.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return SourceImage.probe(file);
    }
}
