package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.CountingArena;
import io.github.pixmapcache.testing.TestAllocator;
import io.github.pixmapcache.testing.TestPixmaps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Negative;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Hostile input as properties (jqwik): sizes that are zero, negative, huge or overflow when
 * multiplied; coordinates anywhere in the int range; negative limits; Keys from another cache,
 * removed, evicted or cleared; a closed cache and a closed lease. Each call gets its documented
 * exception, with a message naming the value, or its documented result, and leaves the cache, its
 * counters and its native memory as they were. {@link BadInputTest} keeps the example-based cases
 * (nulls, one call each).
 */
class HostileInputPropertiesTest {
    private static final long BUDGET = 4096;
    /** Valid shapes up to this size are allocated to check their byte size; larger ones would only cost time. */
    private static final long SMALL_ENOUGH_TO_ALLOCATE = 1 << 20;

    private CacheFixture caches;
    private TestAllocator allocator;
    private Arena arena;
    private PixmapCache<String> cache;
    private PixmapCache<String> otherCache;
    private Pixmap red;
    private Pixmap blue;
    private PixmapCache.Key blueKey;
    private PixmapCache.Key foreignKey;
    private PixmapCache.Key clearedKey;
    private PixmapCache.Key removedKey;
    private PixmapCache.Key evictedKey;
    private PixmapCache<String> closedCache;
    private PixmapCache.Key keyOfClosedCache;
    private PixmapLease closedLease;
    private Pixmap pixmapOfClosedLease;

    /** A cache holding "red" and blue under blueKey, after a clear, a removal and an eviction. */
    @BeforeTry
    void fillCache() {
        caches = new CacheFixture();
        allocator = caches.allocator();
        arena = caches.arena();
        red = filled(0xFFFF0000);
        blue = filled(0x800000FF);
        cache = caches.cache(BUDGET);
        clearedKey = cache.insert(blue);
        cache.clear();
        removedKey = cache.insert(red);
        cache.remove(removedKey);
        evictedKey = cache.insert(red);
        cache.setMaximumBytes(0);
        cache.setMaximumBytes(BUDGET);
        assertTrue(cache.insert("red", red));
        blueKey = cache.insert(blue);
        otherCache = caches.track(PixmapCache.<String>builder().build());
        foreignKey = otherCache.insert(blue);
        closedCache = caches.track(allocator.<String>builder().build());
        closedCache.insert("red", red);
        keyOfClosedCache = closedCache.insert(blue);
        closedCache.close();
        closedLease = cache.find("red");
        pixmapOfClosedLease = closedLease.pixmap();
        closedLease.close();
    }

    /** jqwik runs no JUnit Jupiter extension, so the fixture's check is called here. */
    @AfterTry
    void closeEverything() {
        caches.closeAndAssertNothingLeaked();
    }

    // ------------------------------------------------------------------ shapes

    @Property(tries = 2000)
    void badShapeIsRefusedNamingTheValueBeforeAnyMemoryIsTouched(
            @ForAll("hostileDimensions") int width, @ForAll("hostileDimensions") int height,
            @ForAll PixelFormat format) {
        long attempts = allocator.allocationAttempts();
        if (isValidShape(width, height, format)) {
            long bytes = strideOf(width, format).multiply(BigInteger.valueOf(height)).longValueExact();
            if (bytes <= SMALL_ENOUGH_TO_ALLOCATE) {
                assertEquals(bytes, Pixmap.allocate(arena, width, height, format).byteSize());
            }
            return;
        }

        CountingArena counting = new CountingArena();
        IllegalArgumentException allocate;
        try (counting) {
            allocate = assertThrows(IllegalArgumentException.class, () -> Pixmap.allocate(counting, width, height, format));
        }
        assertEquals(0, counting.allocations(), "Pixmap.allocate took memory for a bad shape");
        RuntimeException load = assertThrows(RuntimeException.class,
                () -> cache.computeIfAbsent("green", (key, pixmaps) -> pixmaps.allocate(width, height, format)));

        assertInstanceOf(IllegalArgumentException.class, load);
        for (Throwable e : List.of(allocate, load)) {
            assertNamesOffendingDimension(width, height, e);
        }
        assertEquals(attempts, allocator.allocationAttempts(), "the cache allocated for a bad shape");
        assertNull(cache.find("green"));
        assertEntriesIntact();
    }

    /** Zero, negative, small, near the limits and the extremes of int. */
    @Provide
    Arbitrary<Integer> hostileDimensions() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-4, 64),
                Arbitraries.integers().between(23_000, 47_000),                // products near 2^31
                Arbitraries.integers().between(Integer.MAX_VALUE / 4 - 4, Integer.MAX_VALUE),
                Arbitraries.integers());
    }

    // ------------------------------------------------------------------ coordinates

    @Property(tries = 1000)
    void coordinateOutsideTheImageIsRefusedNamingAxisAndValueAndWritesNothing(
            @ForAll @IntRange(min = 1, max = 9) int width, @ForAll @IntRange(min = 1, max = 9) int height,
            @ForAll PixelFormat format, @ForAll int x, @ForAll int y) {
        Pixmap pixmap = Pixmap.allocate(arena, width, height, format);
        boolean xOutside = x < 0 || x >= width;
        if (!xOutside && y >= 0 && y < height) {
            pixmap.setArgb(x, y, 0xFF123456);
            return;
        }
        String axis = xOutside ? "x" : "y";
        int value = xOutside ? x : y;

        IndexOutOfBoundsException get = assertThrows(IndexOutOfBoundsException.class, () -> pixmap.getArgb(x, y));
        IndexOutOfBoundsException set = assertThrows(IndexOutOfBoundsException.class,
                () -> pixmap.setArgb(x, y, 0xFFFFFFFF));

        for (Throwable e : List.of(get, set)) {
            assertTrue(e.getMessage().startsWith(axis + "=" + value + " "), e.getMessage());
        }
        assertEquals(-1, pixmap.segment().mismatch(MemorySegment.ofArray(new byte[(int) pixmap.byteSize()])),
                "a refused setArgb wrote into the pixmap");
    }

    // ------------------------------------------------------------------ limits

    @Property
    void negativeLimitIsRefusedNamingTheValueAndEvictsNothing(@ForAll @Negative long bytes) {
        State before = state();

        IllegalArgumentException onCache = assertThrows(IllegalArgumentException.class,
                () -> cache.setMaximumBytes(bytes));
        IllegalArgumentException onBuilder = assertThrows(IllegalArgumentException.class,
                () -> PixmapCache.<String>builder().maximumBytes(bytes));

        assertTrue(onCache.getMessage().endsWith("was " + bytes), onCache.getMessage());
        assertTrue(onBuilder.getMessage().endsWith("was " + bytes), onBuilder.getMessage());
        assertEquals(before, state());
        assertEntriesIntact();
    }

    @Property
    void limitAtOrAboveUsedBytesEvictsNothing(@ForAll @LongRange(min = 2 * 64, max = Long.MAX_VALUE) long bytes) {
        State before = state();

        cache.setMaximumBytes(bytes);

        assertEquals(bytes, cache.maximumBytes());
        assertEquals(before.withMaximumBytes(bytes), state());
        assertEntriesIntact();
    }

    // ------------------------------------------------------------------ keys, a closed cache, a closed lease

    @Property(tries = 300)
    void hostileCallGetsItsDocumentedOutcomeAndChangesNothing(@ForAll("hostileCalls") HostileCall call) {
        State before = state();

        call.check(this);

        assertEquals(before, state(), call.toString());
        assertEntriesIntact();
    }

    /** Every public method that takes a Key, with every kind of bad Key; every method of a closed cache and lease. */
    @Provide
    Arbitrary<HostileCall> hostileCalls() {
        Arbitrary<HostileCall> foreign = Arbitraries.of(KeyUse.FIND, KeyUse.REPLACE, KeyUse.REMOVE)
                .map(use -> HostileCall.throwing(use + " with a Key of another cache", IllegalArgumentException.class,
                        t -> use.apply(t, t.foreignKey), t -> t.foreignKey.toString()));
        Arbitrary<HostileCall> stale = Combinators.combine(Arbitraries.of(KeyUse.values()), Arbitraries.of(StaleKey.values()))
                .as((use, key) -> HostileCall.returning(use + " with a " + key + " Key",
                        t -> use.apply(t, key.of(t)), use.staleResult));
        Arbitrary<HostileCall> closedCache = Arbitraries.of(CacheCall.values()).map(call -> HostileCall.throwing(
                call + " on a closed cache", IllegalStateException.class, call::apply, t -> "closed"));
        Arbitrary<HostileCall> closedLease = Arbitraries.of(LeaseCall.values()).map(call -> HostileCall.throwing(
                call + " on a closed lease", IllegalStateException.class, call::apply, t -> "closed"));
        return Arbitraries.oneOf(foreign, stale, closedCache, closedLease);
    }

    /** The public methods that take a Key, and what each documents for an invalid one. */
    enum KeyUse {
        FIND(null) {
            @Override
            Object apply(HostileInputPropertiesTest t, PixmapCache.Key key) {
                return t.cache.find(key);
            }
        },
        REPLACE(false) {
            @Override
            Object apply(HostileInputPropertiesTest t, PixmapCache.Key key) {
                return t.cache.replace(key, t.red);
            }
        },
        REMOVE(false) {
            @Override
            Object apply(HostileInputPropertiesTest t, PixmapCache.Key key) {
                return t.cache.remove(key);
            }
        },
        IS_VALID(false) {
            @Override
            Object apply(HostileInputPropertiesTest t, PixmapCache.Key key) {
                return key.isValid();
            }
        };

        final Object staleResult;

        KeyUse(Object staleResult) {
            this.staleResult = staleResult;
        }

        abstract Object apply(HostileInputPropertiesTest t, PixmapCache.Key key);
    }

    enum StaleKey {
        CLEARED, REMOVED, EVICTED;

        PixmapCache.Key of(HostileInputPropertiesTest t) {
            return switch (this) {
                case CLEARED -> t.clearedKey;
                case REMOVED -> t.removedKey;
                case EVICTED -> t.evictedKey;
            };
        }
    }

    /** Every public method of a closed cache but close(), with arguments it would otherwise accept. */
    enum CacheCall {
        INSERT, INSERT_ANONYMOUS, REPLACE, FIND, FIND_KEY, COMPUTE_IF_ABSENT, REMOVE, REMOVE_KEY, CLEAR,
        MAXIMUM_BYTES, SET_MAXIMUM_BYTES, USED_BYTES, SIZE, STATS;

        Object apply(HostileInputPropertiesTest t) {
            PixmapCache<String> cache = t.closedCache;
            return switch (this) {
                case INSERT -> cache.insert("red", t.blue);
                case INSERT_ANONYMOUS -> cache.insert(t.blue);
                case REPLACE -> cache.replace(t.keyOfClosedCache, t.red);
                case FIND -> cache.find("red");
                case FIND_KEY -> cache.find(t.keyOfClosedCache);
                case COMPUTE_IF_ABSENT -> cache.computeIfAbsent("green", (key, pixmaps) -> t.red);
                case REMOVE -> cache.remove("red");
                case REMOVE_KEY -> cache.remove(t.keyOfClosedCache);
                case CLEAR -> {
                    cache.clear();
                    yield null;
                }
                case MAXIMUM_BYTES -> cache.maximumBytes();
                case SET_MAXIMUM_BYTES -> {
                    cache.setMaximumBytes(0);
                    yield null;
                }
                case USED_BYTES -> cache.usedBytes();
                case SIZE -> cache.size();
                case STATS -> cache.stats();
            };
        }
    }

    /** Every lease method but close(), and reads through the pixmap it handed out while open. */
    enum LeaseCall {
        PIXMAP, SHARE, GET_ARGB, SEGMENT_READ, CONTENT_EQUALS;

        Object apply(HostileInputPropertiesTest t) {
            return switch (this) {
                case PIXMAP -> t.closedLease.pixmap();
                case SHARE -> t.closedLease.share();
                case GET_ARGB -> t.pixmapOfClosedLease.getArgb(0, 0);
                case SEGMENT_READ -> t.pixmapOfClosedLease.segment().asByteBuffer().get(0);
                case CONTENT_EQUALS -> t.pixmapOfClosedLease.contentEquals(t.red);
            };
        }
    }

    /** A call and its documented outcome: an exception naming a value, or a result. */
    record HostileCall(String name, Class<? extends Throwable> expected, Body body, MessagePart messagePart,
            Object result) {

        static HostileCall throwing(String name, Class<? extends Throwable> expected, Body body,
                MessagePart messagePart) {
            return new HostileCall(name, expected, body, messagePart, null);
        }

        static HostileCall returning(String name, Body body, Object result) {
            return new HostileCall(name, null, body, null, result);
        }

        void check(HostileInputPropertiesTest t) {
            if (expected == null) {
                assertEquals(result, body.apply(t), name);
                return;
            }
            Throwable e = assertThrows(expected, () -> body.apply(t), name);
            String part = messagePart.of(t);
            assertNotNull(e.getMessage(), name);
            assertTrue(e.getMessage().contains(part), () -> name + ": \"" + e.getMessage() + "\" does not name " + part);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Body {
        Object apply(HostileInputPropertiesTest t);
    }

    @FunctionalInterface
    interface MessagePart {
        String of(HostileInputPropertiesTest t);
    }

    // ------------------------------------------------------------------ helpers

    /** What a refused call must leave as it was; lookups may count a miss, so hits and misses are left out. */
    private record State(int size, long usedBytes, long maximumBytes, long insertions, long evictions,
            long rejectedInsertions, long allocationFailures, long leasedDetachedBytes, long allocationAttempts,
            long liveBytes) {

        State withMaximumBytes(long bytes) {
            return new State(size, usedBytes, bytes, insertions, evictions, rejectedInsertions, allocationFailures,
                    leasedDetachedBytes, allocationAttempts, liveBytes);
        }
    }

    private State state() {
        CacheStats stats = cache.stats();
        return new State(cache.size(), cache.usedBytes(), cache.maximumBytes(), stats.insertions(),
                stats.evictions(), stats.rejectedInsertions(), stats.allocationFailures(),
                stats.leasedDetachedBytes(), allocator.allocationAttempts(), allocator.liveBytes());
    }

    private void assertEntriesIntact() {
        assertEquals(2, cache.size());
        assertEquals(red.byteSize() + blue.byteSize(), cache.usedBytes());
        try (PixmapLease lease = cache.find("red")) {
            assertNotNull(lease, "red is gone");
            assertTrue(lease.pixmap().contentEquals(red));
        }
        assertTrue(blueKey.isValid());
        try (PixmapLease lease = cache.find(blueKey)) {
            assertNotNull(lease, "blue is gone");
            assertTrue(lease.pixmap().contentEquals(blue));
        }
        for (PixmapCache.Key stale : List.of(clearedKey, removedKey, evictedKey)) {
            assertFalse(stale.isValid());
        }
        assertTrue(foreignKey.isValid(), "the other cache's key");
    }

    private static boolean isValidShape(int width, int height, PixelFormat format) {
        return width > 0 && height > 0
                && strideOf(width, format).multiply(BigInteger.valueOf(height)).compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) <= 0;
    }

    /** The test's own oracle for the stride: width times bytes per pixel, rounded up to 4, without overflow. */
    private static BigInteger strideOf(int width, PixelFormat format) {
        BigInteger packed = BigInteger.valueOf(width).multiply(BigInteger.valueOf(format.bytesPerPixel()));
        return packed.add(BigInteger.valueOf(3)).divide(BigInteger.valueOf(4)).multiply(BigInteger.valueOf(4));
    }

    /** The first bad dimension is named with its value; an oversize shape names both. */
    private static void assertNamesOffendingDimension(int width, int height, Throwable e) {
        String message = e.getMessage();
        if (width <= 0) {
            assertTrue(message.contains("width") && message.contains("was " + width), message);
        } else if (height <= 0) {
            assertTrue(message.contains("height") && message.contains("was " + height), message);
        } else {
            assertTrue(message.contains(width + "x" + height), message);
        }
    }

    private Pixmap filled(int argb) {
        return TestPixmaps.solid(arena, 4, 4, argb);
    }
}
