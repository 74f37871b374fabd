package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input on every public method, by example: nulls, released pixmaps, a builder that keeps its
 * earlier value. Each gets its exception type, a message naming the parameter or the value, and
 * changes nothing (no memory touched, the cache as it was). {@link HostileInputPropertiesTest}
 * covers the space of bad sizes, coordinates, limits and keys with generated values.
 */
class BadInputTest {
    private static final long BUDGET = 1000;

    private final TestAllocator allocator = new TestAllocator();
    private final Arena arena = Arena.ofConfined();
    private PixmapCache<String> cache;
    private Pixmap red;
    private Pixmap blue;
    private PixmapCache.Key blueKey;

    @BeforeEach
    void fillCache() {
        red = filled(0xFFFF0000);
        blue = filled(0x800000FF);
        cache = allocator.<String>builder().maximumBytes(BUDGET).build();
        assertTrue(cache.insert("red", red));
        blueKey = cache.insert(blue);
    }

    @AfterEach
    void closeEverything() {
        cache.close();
        arena.close();
        assertEquals(0, allocator.liveBytes(), "native bytes leaked");
    }

    // ------------------------------------------------------------------ Pixmap.allocate

    @Test
    void allocateRejectsNullArena() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> Pixmap.allocate(null, 4, 4, PixelFormat.BGRA_8888_PRE));

        assertNames("arena", e);
    }

    @ParameterizedTest(name = "an arena that returns {0} bytes more")
    @ValueSource(longs = {-1, 1, 64})
    void allocateRejectsAnArenaThatReturnsAnotherSize(long extra) {
        Arena lying = new Arena() {
            @Override
            public java.lang.foreign.MemorySegment allocate(long byteSize, long byteAlignment) {
                return arena.allocate(byteSize + extra, byteAlignment);
            }

            @Override
            public java.lang.foreign.MemorySegment.Scope scope() {
                return arena.scope();
            }

            @Override
            public void close() {
                throw new UnsupportedOperationException();
            }
        };

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pixmap.allocate(lying, 4, 4, PixelFormat.BGRA_8888_PRE));

        assertNames(String.valueOf(64 + extra), e);
        assertNames("64", e);
    }

    @Test
    void allocateRejectsNullFormatWithoutAllocating() {
        CountingArena counting = new CountingArena();
        try (counting) {
            NullPointerException e = assertThrows(NullPointerException.class,
                    () -> Pixmap.allocate(counting, 4, 4, null));

            assertNames("format", e);
        }
        assertEquals(0, counting.allocations());
    }

    // ------------------------------------------------------------------ contentEquals

    @Test
    void contentEqualsRejectsNull() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> red.contentEquals(null));

        assertNames("other", e);
    }

    // ------------------------------------------------------------------ PixmapCache.Builder

    @ParameterizedTest
    @ValueSource(longs = {-1, -1000, Long.MIN_VALUE})
    void builderRejectsNegativeMaximumBytesAndKeepsTheEarlierValue(long bytes) {
        PixmapCache.Builder<String> builder = PixmapCache.<String>builder().maximumBytes(1234);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.maximumBytes(bytes));

        assertContains(String.valueOf(bytes), e);
        try (PixmapCache<String> built = builder.build()) {
            assertEquals(1234, built.maximumBytes());
        }
    }

    @Test
    void builderRejectsNullEvictionPolicyAndStillBuilds() {
        PixmapCache.Builder<String> builder = PixmapCache.<String>builder().maximumBytes(1234);

        NullPointerException e = assertThrows(NullPointerException.class, () -> builder.evictionPolicy(null));

        assertNames("policy", e);
        try (PixmapCache<String> built = builder.build()) {
            assertEquals(1234, built.maximumBytes());
            assertTrue(built.insert("red", red));
        }
    }

    // ------------------------------------------------------------------ PixmapCache methods

    @ParameterizedTest
    @MethodSource("nullArguments")
    void nullArgumentIsRejectedAndLeavesTheCacheUnchanged(String parameter, CacheCall call) {
        NullPointerException e = assertRejectedUnchanged(NullPointerException.class, call);

        assertNames(parameter, e);
    }

    static Stream<Arguments> nullArguments() {
        return Stream.of(
                nullArgument("insert(null, pixmap)", "key", t -> t.cache.insert(null, t.red)),
                nullArgument("insert(key, null)", "pixmap", t -> t.cache.insert("red", null)),
                nullArgument("insert(null)", "pixmap", t -> t.cache.insert(null)),
                nullArgument("replace(null, pixmap)", "key", t -> t.cache.replace(null, t.red)),
                nullArgument("replace(key, null)", "pixmap", t -> t.cache.replace(t.blueKey, null)),
                nullArgument("find((K) null)", "key", t -> t.cache.find((String) null)),
                nullArgument("find((Key) null)", "key", t -> t.cache.find((PixmapCache.Key) null)),
                nullArgument("computeIfAbsent(null, loader)", "key",
                        t -> t.cache.computeIfAbsent(null, (key, pixmaps) -> fail("the loader ran"))),
                nullArgument("computeIfAbsent(key, null)", "loader", t -> t.cache.computeIfAbsent("green", null)),
                nullArgument("remove((K) null)", "key", t -> t.cache.remove((String) null)),
                nullArgument("remove((Key) null)", "key", t -> t.cache.remove((PixmapCache.Key) null)));
    }

    private static Arguments nullArgument(String call, String parameter, CacheCall body) {
        return Arguments.of(parameter, Named.of(call, body));
    }

    @ParameterizedTest
    @MethodSource("releasedPixmapCalls")
    void pixmapWithReleasedMemoryIsRejectedAndLeavesTheCacheUnchanged(CacheCall call) {
        CacheState before = state();

        assertThrows(IllegalStateException.class, () -> call.call(this));

        CacheState after = state();
        assertEquals(before.size(), after.size());
        assertEquals(before.usedBytes(), after.usedBytes());
        assertEquals(before.insertions(), after.insertions());
        assertEquals(before.evictions(), after.evictions());
        assertEquals(before.liveBytes(), after.liveBytes(), "the copy's block was not freed");
        assertEntriesIntact();
    }

    static Stream<Named<CacheCall>> releasedPixmapCalls() {
        return Stream.of(
                Named.of("insert(key, pixmap)", t -> t.cache.insert("red", t.released())),
                Named.of("insert(pixmap)", t -> t.cache.insert(t.released())),
                Named.of("replace(key, pixmap)", t -> t.cache.replace(t.blueKey, t.released())));
    }

    // ------------------------------------------------------------------ PixmapAllocator inside a loader

    @Test
    void loaderAllocationWithANullFormatFailsTheLoadWithoutAllocating() {
        CacheState before = state();

        NullPointerException e = assertThrows(NullPointerException.class,
                () -> cache.computeIfAbsent("green", (key, pixmaps) -> pixmaps.allocate(4, 4, null)));

        assertNames("format", e);
        assertEquals(before.withOneMoreMiss(), state());
        assertNull(cache.find("green"));
        assertEntriesIntact();
    }

    @Test
    void loaderBadAllocationAfterAGoodOneFreesTheGoodOne() {
        CacheState before = state();

        assertThrows(IllegalArgumentException.class, () -> cache.computeIfAbsent("green", (key, pixmaps) -> {
            pixmaps.allocate(4, 4, PixelFormat.BGRA_8888_PRE).fill(0xFF00FF00);
            return pixmaps.allocate(4, 0, PixelFormat.BGRA_8888_PRE);
        }));

        assertEquals(before.allocationAttempts() + 1, allocator.allocationAttempts(), "only the good call allocates");
        assertEquals(before.liveBytes(), allocator.liveBytes(), "the good pixmap was not freed");
        assertEquals(before.size(), cache.size());
        assertEquals(before.usedBytes(), cache.usedBytes());
        assertEntriesIntact();
    }

    // ------------------------------------------------------------------ helpers

    /** A call on this test's fixture, for parameterized tests. */
    @FunctionalInterface
    interface CacheCall {
        void call(BadInputTest fixture) throws Throwable;
    }

    /** What a rejected call must leave as it was. */
    private record CacheState(int size, long usedBytes, long maximumBytes, long hits, long misses,
            long insertions, long evictions, long rejectedInsertions, long allocationFailures,
            long leasedDetachedBytes, long allocationAttempts, long liveBytes) {

        CacheState withOneMoreMiss() {
            return new CacheState(size, usedBytes, maximumBytes, hits, misses + 1, insertions, evictions,
                    rejectedInsertions, allocationFailures, leasedDetachedBytes, allocationAttempts, liveBytes);
        }
    }

    private CacheState state() {
        CacheStats stats = cache.stats();
        return new CacheState(cache.size(), cache.usedBytes(), cache.maximumBytes(), stats.hits(), stats.misses(),
                stats.insertions(), stats.evictions(), stats.rejectedInsertions(), stats.allocationFailures(),
                stats.leasedDetachedBytes(), allocator.allocationAttempts(), allocator.liveBytes());
    }

    private <T extends Throwable> T assertRejectedUnchanged(Class<T> expected, CacheCall call) {
        CacheState before = state();

        T e = assertThrows(expected, () -> call.call(this));

        assertEquals(before, state());
        assertEntriesIntact();
        return e;
    }

    private void assertEntriesIntact() {
        assertEquals(2, cache.size());
        assertEquals(2 * red.byteSize(), cache.usedBytes());
        try (PixmapLease lease = cache.find("red")) {
            assertNotNull(lease, "red is gone");
            assertTrue(lease.pixmap().contentEquals(red));
        }
        assertTrue(blueKey.isValid());
        try (PixmapLease lease = cache.find(blueKey)) {
            assertNotNull(lease, "blue is gone");
            assertTrue(lease.pixmap().contentEquals(blue));
        }
    }

    private static void assertNames(String parameter, Throwable e) {
        assertNotNull(e.getMessage(), "no message");
        assertTrue(Pattern.compile("\\b" + parameter + "\\b").matcher(e.getMessage()).find(),
                () -> "message does not name " + parameter + ": " + e.getMessage());
    }

    private static void assertContains(String value, Throwable e) {
        assertNotNull(e.getMessage(), "no message");
        assertTrue(e.getMessage().contains(value), () -> "message does not contain " + value + ": " + e.getMessage());
    }

    private Pixmap filled(int argb) {
        Pixmap pixmap = Pixmap.allocate(arena, 4, 4, PixelFormat.BGRA_8888_PRE);
        pixmap.fill(argb);
        return pixmap;
    }

    private Pixmap released() {
        try (Arena scoped = Arena.ofConfined()) {
            return Pixmap.allocate(scoped, 4, 4, PixelFormat.BGRA_8888_PRE);
        }
    }
}
