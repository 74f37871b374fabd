package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input on every public method: the exception type, a message naming the parameter or the
 * value, and nothing changed by the rejected call (no memory touched, the cache as it was).
 */
class BadInputTest {
    private static final long BUDGET = 1000;

    private final TestAllocator allocator = new TestAllocator();
    private final Arena arena = Arena.ofConfined();
    private PixmapCache<String> cache;
    private PixmapCache<String> otherCache;
    private Pixmap red;
    private Pixmap blue;
    private PixmapCache.Key blueKey;
    private PixmapCache.Key foreignKey;

    @BeforeEach
    void fillCache() {
        red = filled(0xFFFF0000);
        blue = filled(0x800000FF);
        cache = allocator.<String>builder().maximumBytes(BUDGET).build();
        assertTrue(cache.insert("red", red));
        blueKey = cache.insert(blue);
        otherCache = PixmapCache.<String>builder().build();
        foreignKey = otherCache.insert(blue);
    }

    @AfterEach
    void closeEverything() {
        cache.close();
        otherCache.close();
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

    @Test
    void allocateRejectsNullFormatWithoutAllocating() {
        CountingArena counting = new CountingArena();
        try (counting) {
            NullPointerException e = assertThrows(NullPointerException.class,
                    () -> Pixmap.allocate(counting, 4, 4, null));

            assertNames("format", e);
        }
        assertEquals(0, counting.allocations);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -4, Integer.MIN_VALUE})
    void allocateRejectsNonPositiveWidthWithoutAllocating(int width) {
        assertAllocateRejected(width, 4, PixelFormat.GRAY_8, width);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -4, Integer.MIN_VALUE})
    void allocateRejectsNonPositiveHeightWithoutAllocating(int height) {
        assertAllocateRejected(4, height, PixelFormat.RGBA_8888, height);
    }

    @ParameterizedTest
    @CsvSource({
        "40000, 40000, BGRA_8888_PRE",       // 6.4e9 bytes
        "4, 536870912, GRAY_8",              // exactly 2^31 bytes, one above Integer.MAX_VALUE
        "23171, 23171, RGBA_8888",           // 92684 * 23171 = 2147580964, just above the limit
        "2147483647, 1, BGRA_8888_PRE",      // a stride above the limit on its own
        "2147483647, 2147483647, GRAY_8"     // stride * height would overflow an int
    })
    void allocateRejectsByteSizesAboveIntegerMaxValueWithoutAllocating(int width, int height, PixelFormat format) {
        IllegalArgumentException e = assertAllocateRejected(width, height, format, width);

        assertContains(String.valueOf(height), e);
    }

    // ------------------------------------------------------------------ getArgb, setArgb, contentEquals

    @ParameterizedTest
    @MethodSource("coordinatesOutside")
    void getArgbRejectsCoordinatesOutsideTheImage(PixelFormat format, int x, int y, String axis, int offending) {
        Pixmap pixmap = Pixmap.allocate(arena, 5, 3, format);

        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> pixmap.getArgb(x, y));

        assertNames(axis, e);
        assertContains(String.valueOf(offending), e);
    }

    @ParameterizedTest
    @MethodSource("coordinatesOutside")
    void setArgbRejectsCoordinatesOutsideTheImageAndWritesNothing(
            PixelFormat format, int x, int y, String axis, int offending) {
        Pixmap pixmap = Pixmap.allocate(arena, 5, 3, format);

        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> pixmap.setArgb(x, y, 0xFFFFFFFF));

        assertNames(axis, e);
        assertContains(String.valueOf(offending), e);
        assertEquals(-1, pixmap.segment().mismatch(Pixmap.allocate(arena, 5, 3, format).segment()),
                "a rejected setArgb wrote into the pixmap (padding or the next row included)");
    }

    /** Format, x, y, the axis out of range and its value, for a 5x3 pixmap. */
    static Stream<Arguments> coordinatesOutside() {
        return Stream.of(PixelFormat.values()).flatMap(format -> Stream.of(
                Arguments.of(format, -1, 0, "x", -1),
                Arguments.of(format, 5, 0, "x", 5),          // in the GRAY_8 padding, or the next row's first pixel
                Arguments.of(format, 5, 2, "x", 5),
                Arguments.of(format, Integer.MIN_VALUE, 1, "x", Integer.MIN_VALUE),
                Arguments.of(format, Integer.MAX_VALUE, 1, "x", Integer.MAX_VALUE),
                Arguments.of(format, 0, -1, "y", -1),
                Arguments.of(format, 4, 3, "y", 3),
                Arguments.of(format, 0, Integer.MIN_VALUE, "y", Integer.MIN_VALUE),
                Arguments.of(format, 0, Integer.MAX_VALUE, "y", Integer.MAX_VALUE)));
    }

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
    @MethodSource("foreignKeyCalls")
    void keyFromAnotherCacheIsRejectedAndLeavesBothCachesUnchanged(CacheCall call) {
        IllegalArgumentException e = assertRejectedUnchanged(IllegalArgumentException.class, call);

        assertContains(foreignKey.toString(), e);
        assertTrue(foreignKey.isValid());
        try (PixmapLease lease = otherCache.find(foreignKey)) {
            assertTrue(lease.pixmap().contentEquals(blue));
        }
    }

    static Stream<Named<CacheCall>> foreignKeyCalls() {
        return Stream.of(
                Named.of("replace", t -> t.cache.replace(t.foreignKey, t.red)),
                Named.of("find", t -> t.cache.find(t.foreignKey)),
                Named.of("remove", t -> t.cache.remove(t.foreignKey)));
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, -64, Long.MIN_VALUE})
    void setMaximumBytesRejectsNegativeLimitAndEvictsNothing(long bytes) {
        IllegalArgumentException e = assertRejectedUnchanged(IllegalArgumentException.class,
                t -> t.cache.setMaximumBytes(bytes));

        assertContains(String.valueOf(bytes), e);
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

    @ParameterizedTest
    @MethodSource("badAllocations")
    void loaderAllocationWithBadInputFailsTheLoadWithoutAllocating(
            Class<? extends RuntimeException> expected, String messagePart, BadAllocation allocation) {
        CacheState before = state();

        RuntimeException e = assertThrows(expected,
                () -> cache.computeIfAbsent("green", (key, pixmaps) -> allocation.allocate(pixmaps)));

        assertContains(messagePart, e);
        assertEquals(before.withOneMoreMiss(), state());
        assertNull(cache.find("green"));
        assertEntriesIntact();
    }

    static Stream<Arguments> badAllocations() {
        return Stream.of(
                badAllocation(IllegalArgumentException.class, "0", p -> p.allocate(0, 4, PixelFormat.BGRA_8888_PRE)),
                badAllocation(IllegalArgumentException.class, "-3", p -> p.allocate(-3, 4, PixelFormat.GRAY_8)),
                badAllocation(IllegalArgumentException.class, "-7", p -> p.allocate(4, -7, PixelFormat.RGBA_8888)),
                badAllocation(IllegalArgumentException.class, String.valueOf(Integer.MIN_VALUE),
                        p -> p.allocate(4, Integer.MIN_VALUE, PixelFormat.RGBA_8888)),
                badAllocation(IllegalArgumentException.class, "40000",
                        p -> p.allocate(40000, 40000, PixelFormat.BGRA_8888_PRE)),
                badAllocation(NullPointerException.class, "format", p -> p.allocate(4, 4, null)));
    }

    private static Arguments badAllocation(Class<? extends RuntimeException> expected, String messagePart,
            BadAllocation allocation) {
        return Arguments.of(expected, messagePart, Named.of(messagePart, allocation));
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

    @FunctionalInterface
    interface BadAllocation {
        Pixmap allocate(PixmapAllocator allocator);
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

    private IllegalArgumentException assertAllocateRejected(int width, int height, PixelFormat format, int offending) {
        CountingArena counting = new CountingArena();
        IllegalArgumentException e;
        try (counting) {
            e = assertThrows(IllegalArgumentException.class, () -> Pixmap.allocate(counting, width, height, format));
        }
        assertContains(String.valueOf(offending), e);
        assertEquals(0, counting.allocations, "memory was allocated before the size was checked");
        return e;
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

    /** An arena that counts the allocations asked of it. */
    private static final class CountingArena implements Arena {
        private final Arena delegate = Arena.ofConfined();
        private int allocations;

        @Override
        public MemorySegment allocate(long byteSize, long byteAlignment) {
            allocations++;
            return delegate.allocate(byteSize, byteAlignment);
        }

        @Override
        public MemorySegment.Scope scope() {
            return delegate.scope();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
