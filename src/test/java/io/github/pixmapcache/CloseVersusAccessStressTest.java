package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.PixmapCache.Key;
import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.TestAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Close versus access, in the shape of the JDK's {@code TestHandshake}: reader threads find
 * pixmaps (by string key and by Key), read them whole through their leases and put them back on a
 * miss, while the main thread, after a random delay, clears the cache, evicts everything, or
 * closes it. Each reader also holds one lease across the disruption and reads it again afterwards.
 *
 * <p>Allowed: misses, refused inserts, and, once the cache is closed, the documented
 * {@link IllegalStateException} from find and insert. Anything else fails the test: a lease that
 * reads anything but its whole pixmap (another's pixels, freed poison), any other exception, and
 * any native byte left once the cache and every lease are closed.
 *
 * <p>Maven runs this class under the default JIT, again interpreted only ({@code -Xint}) and again
 * with C1 only ({@code -XX:TieredStopAtLevel=1}); {@code -Dstress.scale=N} multiplies its rounds.
 */
class CloseVersusAccessStressTest {
    private static final int SCALE = Integer.getInteger("pixmapcache.stress.scale", 1);
    private static final int ROUNDS = 4 * SCALE;
    private static final int READERS = 3;
    private static final int ACCESSES_PER_READER = 5_000;
    private static final int MAX_DELAY_MICROS = 2_000;
    private static final int KEYS = 8;
    /** 32x32 GRAY_8 pixmaps, each byte the pixmap's index plus one: 1 KiB, no padding. */
    private static final int SIDE = 32;
    private static final Pixmap[] SOURCES = sources(2 * KEYS);

    @RegisterExtension
    final CacheFixture caches = new CacheFixture();

    enum Disruption {
        CLEAR, EVICT_ALL, CLOSE;

        void apply(PixmapCache<String> cache) {
            switch (this) {
                case CLEAR -> cache.clear();
                case EVICT_ALL -> cache.setMaximumBytes(0);
                case CLOSE -> cache.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Disruption.class)
    void readersSeeWholePixmapsOrTheDocumentedRefusal(Disruption disruption) throws InterruptedException {
        for (int round = 0; round < ROUNDS; round++) {
            runRound(disruption, ThreadLocalRandom.current().nextLong());
        }
    }

    private void runRound(Disruption disruption, long seed) throws InterruptedException {
        TestAllocator allocator = caches.newAllocator();
        PixmapCache<String> cache =
                caches.track(allocator.<String>builder().maximumBytes(2L * KEYS * SIDE * SIDE).build());
        Key[] keys = new Key[KEYS];
        for (int i = 0; i < KEYS; i++) {
            cache.insert(nameOf(i), SOURCES[i]);
            keys[i] = cache.insert(SOURCES[KEYS + i]);
        }
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            Reader reader = new Reader(cache, keys, new SplittableRandom(seed + r), failures);
            readers.add(Thread.ofPlatform().name("reader-" + r).start(reader::run));
        }
        TimeUnit.MICROSECONDS.sleep(new SplittableRandom(seed).nextInt(MAX_DELAY_MICROS));
        disruption.apply(cache);
        for (Thread reader : readers) {
            reader.join();
        }
        cache.close();

        String context = disruption + ", seed " + seed;
        assertTrue(failures.isEmpty(), () -> context + ": " + failures);
        assertEquals(0, allocator.liveBytes(), () -> context + ": native bytes left after the cache and every lease closed");
    }

    /** One reader: random finds and reads, re-inserts on a miss, one lease held throughout. */
    private record Reader(PixmapCache<String> cache, Key[] keys, SplittableRandom random, Queue<String> failures) {
        void run() {
            PixmapLease held = null;
            int heldIndex = random.nextInt(KEYS);
            try {
                try {
                    held = cache.find(nameOf(heldIndex));
                } catch (IllegalStateException e) {
                    requireClosedRefusal(e);
                    return;
                }
                for (int i = 0; i < ACCESSES_PER_READER; i++) {
                    int index = random.nextInt(2 * KEYS);
                    if (!access(index)) {
                        break;  // the cache is closed: every later call would be refused too
                    }
                }
                if (held != null) {
                    check(held, heldIndex);
                }
            } catch (RuntimeException | AssertionError e) {
                failures.add(Thread.currentThread().getName() + ": " + e);
            } finally {
                if (held != null) {
                    held.close();
                }
            }
        }

        /** Finds pixmap {@code index}, reads it whole, puts it back on a miss; false once closed. */
        private boolean access(int index) {
            boolean anonymous = index >= KEYS;
            try {
                PixmapLease lease = anonymous ? cache.find(keys[index - KEYS]) : cache.find(nameOf(index));
                if (lease == null) {
                    if (!anonymous) {
                        cache.insert(nameOf(index), SOURCES[index]);
                    }
                    return true;
                }
                try (lease) {
                    check(lease, index);
                }
                return true;
            } catch (IllegalStateException e) {
                requireClosedRefusal(e);
                return false;
            }
        }

        /** Rethrows {@code e} unless it is the documented refusal of a closed cache. */
        private static void requireClosedRefusal(IllegalStateException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("the cache is closed")) {
                throw e;
            }
        }

        private void check(PixmapLease lease, int index) {
            if (!lease.pixmap().contentEquals(SOURCES[index])) {
                failures.add(Thread.currentThread().getName() + ": a lease on pixmap " + index
                        + " reads byte " + lease.pixmap().segment().get(ValueLayout.JAVA_BYTE, 0)
                        + " at 0, expected " + (index + 1));
            }
        }
    }

    private static String nameOf(int index) {
        return "pixmap-" + index;
    }

    private static Pixmap[] sources(int count) {
        Pixmap[] sources = new Pixmap[count];
        for (int i = 0; i < count; i++) {
            sources[i] = Pixmap.allocate(Arena.global(), SIDE, SIDE, PixelFormat.GRAY_8);
            sources[i].segment().fill((byte) (i + 1));
        }
        return sources;
    }
}
