package io.github.pixmapcache;

import static io.github.pixmapcache.testing.Accesses.refusedAsClosed;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.PixmapCache.Key;
import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.CacheModel;
import io.github.pixmapcache.testing.CacheModel.Spec;
import io.github.pixmapcache.testing.TestAllocator;
import io.github.pixmapcache.testing.TestPixmaps;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour of {@code QPixmapCache} (after Qt's tst_qpixmapcache): keys, copies, replacement,
 * the byte budget, exact LRU order, statistics and closing. The tests that do not depend on which
 * pixmap is evicted run under every {@link EvictionPolicy}; the others under {@link EvictionPolicy#LRU}.
 *
 * <p>Most pixmaps here are {@value #UNIT} bytes (25 BGRA pixels in one row), each filled with its
 * own opaque colour, so that a budget of {@code n * UNIT} holds exactly n of them.
 */
class CacheSemanticsTest {
    private static final int UNIT = 100;
    private static final int RED = 0xFFFF0000;
    private static final int GREEN = 0xFF00FF00;
    private static final int BLUE = 0xFF0000FF;

    @RegisterExtension
    final CacheFixture caches = new CacheFixture();
    private final Arena arena = caches.arena();
    private final TestAllocator allocator = caches.allocator();

    // ------------------------------------------------------------------ keys and copies

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void findByStringKeyReturnsTheInsertedPixels(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 10 * UNIT);
        Pixmap red = solid(RED);

        assertTrue(cache.insert("a", red));

        try (PixmapLease lease = cache.find("a")) {
            assertNotNull(lease);
            assertTrue(lease.pixmap().contentEquals(red));
            assertEquals(RED, lease.pixmap().getArgb(24, 0));
        }
        assertEquals(1, cache.size());
        assertEquals(UNIT, cache.usedBytes());
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void findOfAnUnknownKeyReturnsNull(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 10 * UNIT);
        cache.insert("a", solid(RED));

        assertNull(cache.find("b"));
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void insertCopiesThePixels(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 10 * UNIT);
        Pixmap source = solid(RED);
        Pixmap savedCopy = solid(RED);

        cache.insert("a", source);
        source.fill(BLUE);

        try (PixmapLease lease = cache.find("a")) {
            assertTrue(lease.pixmap().contentEquals(savedCopy));
            assertNotEquals(source.segment().address(), lease.pixmap().segment().address());
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void reinsertUnderTheSameKeyReplacesThePixmap(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 10 * UNIT);
        Pixmap larger = solid(BLUE, 2 * UNIT);
        cache.insert("a", solid(RED));

        assertTrue(cache.insert("a", larger));

        assertEquals(1, cache.size());
        assertEquals(2 * UNIT, cache.usedBytes());
        try (PixmapLease lease = cache.find("a")) {
            assertTrue(lease.pixmap().contentEquals(larger));
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void insertOfAnAnonymousPixmapReturnsAValidKeyThatFindsIt(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 10 * UNIT);
        Pixmap red = solid(RED);

        Key key = cache.insert(red);

        assertTrue(key.isValid());
        assertEquals(1, cache.size());
        try (PixmapLease lease = cache.find(key)) {
            assertTrue(lease.pixmap().contentEquals(red));
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void removeByKeyInvalidatesItAndReportsWhetherItRemovedAnything(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 10 * UNIT);
        Key key = cache.insert(solid(RED));

        assertTrue(cache.remove(key));
        assertFalse(key.isValid());
        assertNull(cache.find(key));
        assertFalse(cache.remove(key));
        assertEquals(0, cache.size());
        assertEquals(0, cache.usedBytes());
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void removeByStringKeyReturnsTrueThenFalse(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 10 * UNIT);
        cache.insert("a", solid(RED));
        cache.insert("b", solid(GREEN));

        assertTrue(cache.remove("a"));
        assertFalse(cache.remove("a"));

        assertNull(cache.find("a"));
        assertEquals(1, cache.size());
        assertEquals(UNIT, cache.usedBytes());
        assertTrue(isCached(cache, "b"));
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void keyFromAnotherCacheIsRefused(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 10 * UNIT);
        Key foreign = cache(policy, 10 * UNIT).insert(solid(RED));

        assertAll(
                () -> assertThrows(IllegalArgumentException.class, () -> cache.find(foreign)),
                () -> assertThrows(IllegalArgumentException.class, () -> cache.remove(foreign)),
                () -> assertThrows(IllegalArgumentException.class, () -> cache.replace(foreign, solid(BLUE))));
    }

    // ------------------------------------------------------------------ replace

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void replaceMakesTheSameKeyObjectNameTheNewPixmap(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 10 * UNIT);
        Pixmap larger = solid(BLUE, 3 * UNIT);
        Key key = cache.insert(solid(RED));

        assertTrue(cache.replace(key, larger));

        assertTrue(key.isValid());
        assertEquals(1, cache.size());
        assertEquals(3 * UNIT, cache.usedBytes());
        try (PixmapLease lease = cache.find(key)) {
            assertTrue(lease.pixmap().contentEquals(larger));
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void replaceOfAnInvalidKeyReturnsFalseAndLeavesTheCacheUnchanged(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 3 * UNIT);
        Pixmap red = solid(RED);
        Key removed = cache.insert(solid(GREEN));
        cache.remove(removed);
        Key neverValid = cache.insert(solid(GREEN, 4 * UNIT));
        Key kept = cache.insert(red);
        cache.insert("a", red);
        long insertions = cache.stats().insertions();

        assertFalse(cache.replace(removed, solid(BLUE)));
        assertFalse(cache.replace(neverValid, solid(BLUE)));

        assertFalse(removed.isValid());
        assertFalse(neverValid.isValid());
        assertEquals(2, cache.size());
        assertEquals(2 * UNIT, cache.usedBytes());
        assertEquals(insertions, cache.stats().insertions());
        assertPixels(red, cache.find(kept));
        assertPixels(red, cache.find("a"));
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void replaceWithAPixmapLargerThanTheLimitReturnsFalseAndKeepsTheOldPixmap(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 3 * UNIT);
        Pixmap red = solid(RED);
        Key key = cache.insert(red);

        assertFalse(cache.replace(key, solid(BLUE, 4 * UNIT)));

        assertTrue(key.isValid());
        assertEquals(1, cache.size());
        assertEquals(UNIT, cache.usedBytes());
        assertPixels(red, cache.find(key));
    }

    // ------------------------------------------------------------------ stale keys

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void removedKeyNeverFindsThePixmapsThatReuseItsSlot(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 10 * UNIT);
        Key stale = cache.insert(solid(RED));
        cache.remove(stale);

        List<Key> fresh = insertAnonymous(cache, 5, BLUE);

        assertStale(cache, stale);
        fresh.forEach(key -> assertTrue(key.isValid()));
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void clearedKeysNeverFindThePixmapsThatReuseTheirSlots(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 10 * UNIT);
        List<Key> stale = insertAnonymous(cache, 3, RED);
        cache.clear();

        List<Key> fresh = insertAnonymous(cache, 5, BLUE);

        stale.forEach(key -> assertStale(cache, key));
        fresh.forEach(key -> assertTrue(key.isValid()));
    }

    @Test
    void evictedKeyNeverFindsThePixmapsThatReuseItsSlot() {
        PixmapCache<String> cache = cache(3 * UNIT);
        Key stale = cache.insert(solid(RED));

        List<Key> fresh = insertAnonymous(cache, 6, BLUE);

        assertStale(cache, stale);
        assertEquals(3, fresh.stream().filter(Key::isValid).count());
    }

    // ------------------------------------------------------------------ clear

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void clearEmptiesTheCacheAndInvalidatesEveryKeyYetTheCacheStaysUsable(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 10 * UNIT);
        Pixmap green = solid(GREEN);
        cache.insert("a", solid(RED));
        List<Key> keys = insertAnonymous(cache, 3, RED);

        cache.clear();

        assertEquals(0, cache.size());
        assertEquals(0, cache.usedBytes());
        keys.forEach(key -> assertFalse(key.isValid()));
        assertNull(cache.find("a"));
        assertTrue(cache.insert("a", green));
        assertPixels(green, cache.find("a"));
        assertEquals(1, cache.size());
    }

    // ------------------------------------------------------------------ the budget

    @Test
    void defaultMaximumIsTenMebibytesAsInQt() {
        PixmapCache<String> cache = caches.track(allocator.<String>builder().build());

        assertEquals(10L * 1024 * 1024, cache.maximumBytes());
        assertEquals(PixmapCache.DEFAULT_MAXIMUM_BYTES, cache.maximumBytes());
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void pixmapLargerThanTheLimitIsRefusedAndLeavesTheCacheUnchanged(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 3 * UNIT);
        Pixmap red = solid(RED);
        Pixmap tooLarge = solid(BLUE, 3 * UNIT + 4);
        cache.insert("a", red);
        cache.insert("b", red);

        assertFalse(cache.insert("big", tooLarge));
        assertFalse(cache.insert("a", tooLarge));
        assertFalse(cache.insert(tooLarge).isValid());

        assertEquals(2, cache.size());
        assertEquals(2 * UNIT, cache.usedBytes());
        assertEquals(3, cache.stats().rejectedInsertions());
        assertEquals(2, cache.stats().insertions());
        assertNull(cache.find("big"));
        assertPixels(red, cache.find("a"));
        assertPixels(red, cache.find("b"));
    }

    @Test
    void pixmapOfExactlyTheLimitIsAcceptedAndEvictsEverythingElse() {
        PixmapCache<String> cache = cache(3 * UNIT);
        cache.insert("a", solid(RED));
        cache.insert("b", solid(RED));

        assertTrue(cache.insert("whole", solid(BLUE, 3 * UNIT)));

        assertEquals(1, cache.size());
        assertEquals(3 * UNIT, cache.usedBytes());
        assertTrue(isCached(cache, "whole"));
    }

    @Test
    void shrinkingTheLimitEvictsLeastRecentlyUsedAtOnce() {
        PixmapCache<String> cache = cache(10 * UNIT);
        insertAll(cache, "a", "b", "c", "d");
        touch(cache, "a");

        cache.setMaximumBytes(2 * UNIT);

        assertEquals(2 * UNIT, cache.maximumBytes());
        assertEquals(2, cache.size());
        assertEquals(2 * UNIT, cache.usedBytes());
        assertEquals(2, cache.stats().evictions());
        assertCached(cache, "a", "d");
        assertEvicted(cache, "b", "c");
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void growingTheLimitEvictsNothing(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 3 * UNIT);
        insertAll(cache, "a", "b", "c");

        cache.setMaximumBytes(6 * UNIT);

        assertEquals(3, cache.size());
        assertEquals(0, cache.stats().evictions());
        assertCached(cache, "a", "b", "c");
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void limitOfZeroEmptiesTheCacheAndRefusesEveryPixmap(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 10 * UNIT);
        insertAll(cache, "a", "b");
        Key key = cache.insert(solid(RED));

        cache.setMaximumBytes(0);

        assertEquals(0, cache.size());
        assertEquals(0, cache.usedBytes());
        assertFalse(key.isValid());
        assertFalse(cache.insert("c", solid(RED, 4)));
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void negativeLimitIsRefused(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 3 * UNIT);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cache.setMaximumBytes(-1));

        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertEquals(3 * UNIT, cache.maximumBytes());
    }

    // ------------------------------------------------------------------ LRU order

    @Test
    void withoutReadsTheOldestInsertIsEvictedFirst() {
        PixmapCache<String> cache = cache(3 * UNIT);
        insertAll(cache, "a", "b", "c");

        insertAll(cache, "d");

        assertCached(cache, "b", "c", "d");
        assertEvicted(cache, "a");
    }

    @Test
    void findMakesAPixmapTheMostRecentlyUsed() {
        PixmapCache<String> cache = cache(3 * UNIT);
        insertAll(cache, "a", "b", "c");
        touch(cache, "a");

        insertAll(cache, "d", "e");

        assertCached(cache, "a", "d", "e");
        assertEvicted(cache, "b", "c");
    }

    @Test
    void findThatMissesChangesNoRecency() {
        PixmapCache<String> cache = cache(3 * UNIT);
        insertAll(cache, "a", "b", "c");
        assertNull(cache.find("x"));

        insertAll(cache, "d");

        assertCached(cache, "b", "c", "d");
        assertEvicted(cache, "a");
    }

    @Test
    void reinsertMakesAPixmapTheMostRecentlyUsed() {
        PixmapCache<String> cache = cache(3 * UNIT);
        Pixmap green = solid(GREEN);
        insertAll(cache, "a", "b", "c");
        cache.insert("a", green);

        insertAll(cache, "d");

        assertCached(cache, "a", "c", "d");
        assertEvicted(cache, "b");
        assertPixels(green, cache.find("a"));
    }

    @Test
    void reinsertOfALargerPixmapEvictsTheLeastRecentOthersButNeverItself() {
        PixmapCache<String> cache = cache(3 * UNIT);
        insertAll(cache, "a", "b", "c");

        assertTrue(cache.insert("a", solid(GREEN, 2 * UNIT)));

        assertEquals(3 * UNIT, cache.usedBytes());
        assertCached(cache, "a", "c");
        assertEvicted(cache, "b");
    }

    @Test
    void largeInsertEvictsAsManyLeastRecentPixmapsAsItNeeds() {
        PixmapCache<String> cache = cache(4 * UNIT);
        insertAll(cache, "a", "b", "c", "d");
        touch(cache, "a");
        touch(cache, "c");

        assertTrue(cache.insert("big", solid(BLUE, 3 * UNIT)));

        assertEquals(4 * UNIT, cache.usedBytes());
        assertEquals(3, cache.stats().evictions());
        assertCached(cache, "c", "big");
        assertEvicted(cache, "a", "b", "d");
    }

    @Test
    void stringKeysAndGeneratedKeysShareOneRecencyOrder() {
        PixmapCache<String> cache = cache(3 * UNIT);
        insertAll(cache, "a");
        Key first = cache.insert(solid(RED));
        insertAll(cache, "b");
        touch(cache, "a");

        Key second = cache.insert(solid(BLUE));
        touch(cache, "b");
        touch(cache, second);
        insertAll(cache, "c");

        assertFalse(first.isValid());
        assertTrue(second.isValid());
        assertCached(cache, "b", "c");
        assertEvicted(cache, "a");
    }

    @Test
    void findByKeyMakesAPixmapTheMostRecentlyUsed() {
        PixmapCache<String> cache = cache(3 * UNIT);
        Key key = cache.insert(solid(RED));
        insertAll(cache, "a", "b");
        touch(cache, key);

        insertAll(cache, "c", "d");

        assertTrue(key.isValid());
        assertCached(cache, "c", "d");
        assertEvicted(cache, "a", "b");
    }

    @Test
    void replaceMakesAPixmapTheMostRecentlyUsed() {
        PixmapCache<String> cache = cache(3 * UNIT);
        Key key = cache.insert(solid(RED));
        insertAll(cache, "a", "b");
        cache.replace(key, solid(GREEN));

        insertAll(cache, "c");

        assertTrue(key.isValid());
        assertCached(cache, "b", "c");
        assertEvicted(cache, "a");
    }

    @Test
    void manyFindsBetweenInsertsAreAllAppliedInOrder() {
        PixmapCache<String> cache = cache(10 * UNIT);
        insertAll(cache, "e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9");
        for (int round = 0; round < 40; round++) {
            touch(cache, "e9", "e8", "e7", "e6", "e5");
        }

        insertAll(cache, "n0", "n1", "n2", "n3", "n4", "n5");

        assertEvicted(cache, "e0", "e1", "e2", "e3", "e4", "e9");
        assertCached(cache, "e5", "e6", "e7", "e8", "n0", "n5");
    }

    @Test
    void manyFindsOfOnePixmapKeepItAboveEverythingInsertedBefore() {
        PixmapCache<String> cache = cache(4 * UNIT);
        insertAll(cache, "a", "b", "c", "d");
        for (int i = 0; i < 150; i++) {
            touch(cache, "b");
        }
        touch(cache, "c");

        insertAll(cache, "e", "f", "g");

        assertCached(cache, "c", "e", "f", "g");
        assertEvicted(cache, "a", "b", "d");
    }

    @Test
    void randomOperationsMatchAReferenceModelOfQtsPolicy() {
        PixmapCache<String> cache = cache(20 * UNIT);
        CacheModel model = new CacheModel(20 * UNIT);
        SplittableRandom random = new SplittableRandom(20250101);
        List<Issued> keys = new ArrayList<>();
        int nextPixmapId = 0;
        Spec seed = new Spec(nextPixmapId++, UNIT / 4, 1, PixelFormat.BGRA_8888_PRE);
        keys.add(new Issued(cache.insert(seed.draw(arena)), model.insert(seed)));
        for (int step = 0; step < 3000; step++) {
            String name = "k" + random.nextInt(16);
            Spec spec = new Spec(nextPixmapId++, 1 + random.nextInt(150), 1, PixelFormat.BGRA_8888_PRE);
            Pixmap pixmap = spec.draw(arena);
            String op = switch (random.nextInt(9)) {
                case 0, 1 -> {
                    assertEquals(model.insert(name, spec), cache.insert(name, pixmap));
                    yield "insert " + name;
                }
                case 2 -> {
                    Issued issued = new Issued(cache.insert(pixmap), model.insert(spec));
                    assertEquals(issued.id() != CacheModel.NEVER_VALID, issued.key().isValid());
                    keys.add(issued);
                    yield "insert anonymous";
                }
                case 3, 4 -> {
                    assertFound(model.find(new CacheModel.Named(name)), cache.find(name));
                    yield "find " + name;
                }
                case 5 -> {
                    Issued issued = pick(keys, random);
                    assertFound(model.find(issued.slot()), cache.find(issued.key()));
                    yield "find " + issued.key();
                }
                case 6 -> {
                    Issued issued = pick(keys, random);
                    assertEquals(model.replace(issued.id(), spec), cache.replace(issued.key(), pixmap));
                    yield "replace " + issued.key();
                }
                case 7 -> {
                    boolean byName = random.nextBoolean();
                    Issued issued = pick(keys, random);
                    assertEquals(byName ? model.remove(new CacheModel.Named(name)) : model.remove(issued.slot()),
                            byName ? cache.remove(name) : cache.remove(issued.key()));
                    yield "remove";
                }
                default -> {
                    long limit = random.nextInt(8) == 0 ? random.nextInt(4 * UNIT) : random.nextInt(20 * UNIT, 30 * UNIT);
                    model.setMaximumBytes(limit);
                    cache.setMaximumBytes(limit);
                    yield "setMaximumBytes " + limit;
                }
            };
            String context = "step " + step + ": " + op;
            assertTrue(cache.usedBytes() <= cache.maximumBytes(), context);
            assertEquals(model.size(), cache.size(), context);
            assertEquals(model.usedBytes(), cache.usedBytes(), context);
            assertEquals(model.stats(0), cache.stats(), context);
            keys.forEach(issued -> assertEquals(model.contains(issued.slot()), issued.key().isValid(), context));
        }
    }

    // ------------------------------------------------------------------ statistics

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void statsCountAScriptedSequenceExactly(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 3 * UNIT);
        insertAll(cache, "a", "b", "c");
        touch(cache, "a");
        assertNull(cache.find("x"));
        touch(cache, "b");
        insertAll(cache, "d");                          // evicts c
        assertFalse(cache.insert("big", solid(RED, 4 * UNIT)));
        Key key = cache.insert(solid(RED));          // evicts a
        touch(cache, key);
        cache.remove("b");
        assertNull(cache.find("b"));
        cache.replace(key, solid(GREEN));

        CacheStats stats = cache.stats();

        assertEquals(new CacheStats(3, 2, 6, 2, 1, 0, 2, 2 * UNIT, 0), stats);
        assertEquals(0.6, stats.hitRate(), 1e-12);
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void clearAndRemoveAreNotEvictionsButShrinkingTheLimitIs(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 10 * UNIT);
        insertAll(cache, "a", "b", "c", "d", "e");
        cache.remove("a");
        cache.setMaximumBytes(2 * UNIT);
        cache.clear();

        CacheStats stats = cache.stats();

        assertEquals(2, stats.evictions());
        assertEquals(5, stats.insertions());
        assertEquals(0, stats.entries());
        assertEquals(0, stats.usedBytes());
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void hitRateIsOneBeforeTheFirstLookupAndFollowsHitsAndMisses(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 3 * UNIT);
        assertEquals(1.0, cache.stats().hitRate());
        insertAll(cache, "a");

        touch(cache, "a");
        assertNull(cache.find("x"));
        assertNull(cache.find("y"));
        assertNull(cache.find("z"));

        assertEquals(0.25, cache.stats().hitRate(), 1e-12);
    }

    // ------------------------------------------------------------------ closing

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void keysAreInvalidOnceTheCacheIsClosed(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 3 * UNIT);
        Key key = cache.insert(solid(RED));

        cache.close();

        assertFalse(key.isValid());
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void everyMethodButCloseThrowsOnceTheCacheIsClosed(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 3 * UNIT);
        Key key = cache.insert(solid(RED));
        Pixmap pixmap = solid(GREEN);
        cache.close();

        assertAll(
                refusedAsClosed(() -> cache.insert("a", pixmap)),
                refusedAsClosed(() -> cache.insert(pixmap)),
                refusedAsClosed(() -> cache.replace(key, pixmap)),
                refusedAsClosed(() -> cache.find("a")),
                refusedAsClosed(() -> cache.find(key)),
                refusedAsClosed(() -> cache.computeIfAbsent("a", (k, pixmaps) -> pixmap)),
                refusedAsClosed(() -> cache.remove("a")),
                refusedAsClosed(() -> cache.remove(key)),
                refusedAsClosed(cache::clear),
                refusedAsClosed(cache::maximumBytes),
                refusedAsClosed(() -> cache.setMaximumBytes(UNIT)),
                refusedAsClosed(cache::usedBytes),
                refusedAsClosed(cache::size),
                refusedAsClosed(cache::stats));
    }

    @Test
    void closingTwiceIsANoOp() {
        PixmapCache<String> cache = cache(3 * UNIT);
        insertAll(cache, "a", "b");
        cache.insert(solid(RED));
        cache.close();
        long frees = allocator.frees();

        assertDoesNotThrow(cache::close);

        assertEquals(frees, allocator.frees());
        assertEquals(0, allocator.liveBytes());
    }

    // ------------------------------------------------------------------ helpers

    /** A cache with Qt's policy, for the tests of its exact LRU order. */
    private PixmapCache<String> cache(long maximumBytes) {
        return cache(EvictionPolicy.LRU, maximumBytes);
    }

    private PixmapCache<String> cache(EvictionPolicy policy, long maximumBytes) {
        return caches.cache(policy, maximumBytes);
    }

    /** A UNIT-byte pixmap of one colour. */
    private Pixmap solid(int argb) {
        return solid(argb, UNIT);
    }

    /** A one-row BGRA pixmap of {@code bytes} bytes (a multiple of 4) and one colour. */
    private Pixmap solid(int argb, long bytes) {
        return TestPixmaps.solidRow(arena, bytes, argb);
    }

    /** Inserts a UNIT-byte pixmap under each name, in order. */
    private void insertAll(PixmapCache<String> cache, String... names) {
        for (String name : names) {
            assertTrue(cache.insert(name, solid(RED)), name);
        }
    }

    private List<Key> insertAnonymous(PixmapCache<String> cache, int count, int argb) {
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(cache.insert(solid(argb)));
        }
        return keys;
    }

    /** Finds each name (a hit), making it the most recently used. */
    private static void touch(PixmapCache<String> cache, String... names) {
        for (String name : names) {
            try (PixmapLease lease = cache.find(name)) {
                assertNotNull(lease, name);
            }
        }
    }

    private static void touch(PixmapCache<String> cache, Key key) {
        try (PixmapLease lease = cache.find(key)) {
            assertNotNull(lease, key::toString);
        }
    }

    private static boolean isCached(PixmapCache<String> cache, String name) {
        try (PixmapLease lease = cache.find(name)) {
            return lease != null;
        }
    }

    private static void assertCached(PixmapCache<String> cache, String... names) {
        for (String name : names) {
            assertTrue(isCached(cache, name), name + " should be cached");
        }
    }

    private static void assertEvicted(PixmapCache<String> cache, String... names) {
        for (String name : names) {
            assertFalse(isCached(cache, name), name + " should have been evicted");
        }
    }

    /** The key is invalid and finds nothing, whatever took its slot since. */
    private static void assertStale(PixmapCache<String> cache, Key key) {
        assertFalse(key.isValid(), key::toString);
        assertNull(cache.find(key), key::toString);
    }

    /** The lease is a hit on {@code expected}'s pixels; closes it. */
    private static void assertPixels(Pixmap expected, PixmapLease lease) {
        assertNotNull(lease);
        try (lease) {
            assertTrue(lease.pixmap().contentEquals(expected));
        }
    }

    /** A hit exactly where the model has the key, with the pixels of the model's pixmap; closes the lease. */
    private void assertFound(Spec expected, PixmapLease lease) {
        if (expected == null) {
            assertNull(lease);
            return;
        }
        assertPixels(expected.draw(arena), lease);
    }

    /** A Key the cache handed out, with the model's id for it ({@link CacheModel#NEVER_VALID} if none). */
    private record Issued(Key key, int id) {
        CacheModel.Anonymous slot() {
            return new CacheModel.Anonymous(id);
        }
    }

    private static <T> T pick(List<T> keys, SplittableRandom random) {
        return keys.get(random.nextInt(keys.size()));
    }
}
