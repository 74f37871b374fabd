package io.github.pixmapcache;

import static io.github.pixmapcache.testing.CacheModel.NEVER_VALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pixmapcache.testing.BrokenKey;
import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.CacheModel;
import io.github.pixmapcache.testing.CacheModel.Anonymous;
import io.github.pixmapcache.testing.CacheModel.Named;
import io.github.pixmapcache.testing.CacheModel.Slot;
import io.github.pixmapcache.testing.CacheModel.Spec;
import io.github.pixmapcache.testing.TestAllocator;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Model-based test: seeded random sequences of operations run against a single-threaded LRU
 * {@link PixmapCache} and against {@link CacheModel}, compared after every step.
 *
 * <p>Sequence {@code i} runs from seed {@code BASE_SEED + i}, and a failure prints its seed, step
 * and history. To replay one sequence:
 * {@code ./mvnw -q test -Dtest=CacheModelTest -Dpixmapcache.model.seed=SEED -Dpixmapcache.model.sequences=1}
 */
class CacheModelTest {
    private static final long BASE_SEED = Long.getLong("pixmapcache.model.seed", 0x5EED_0000L);
    private static final int SEQUENCES = Integer.getInteger("pixmapcache.model.sequences", 2_000);
    private static final int STEPS = 200;
    private static final int USER_KEYS = 12;
    private static final long LARGEST_BUDGET = 16_384;
    private static final int LONGEST_HOLD = 20;
    /** Every this-many-th sequence checks, with a bounded GC loop, that the closed cache keeps no key. */
    private static final int KEY_RELEASE_CHECK_EVERY = 50;
    private static final int GC_ROUNDS = 50;
    private static final PixelFormat[] FORMATS = PixelFormat.values();
    /** Keys of another cache, used here as user keys: legal, immutable, equal by identity. */
    private static final PixmapCache<Object> FOREIGN = PixmapCache.builder().build();
    private static final List<PixmapCache.Key> FOREIGN_KEYS = new ArrayList<>();

    @BeforeAll
    static void issueForeignKeys() {
        if (!FOREIGN_KEYS.isEmpty()) {  // CacheOperationsFuzzTest issues them too
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < 2; i++) {
                FOREIGN_KEYS.add(FOREIGN.insert(Pixmap.allocate(arena, 2, 2, PixelFormat.GRAY_8)));
            }
        }
    }

    @AfterAll
    static void closeForeignCache() {
        FOREIGN.close();
    }

    @RegisterExtension
    final CacheFixture caches = new CacheFixture();

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)  // a find that spins is a failure
    void randomOperationSequencesMatchTheModel() {
        for (int i = 0; i < SEQUENCES; i++) {
            new Sequence(caches, BASE_SEED + i, i % KEY_RELEASE_CHECK_EVERY == 0).run();
        }
    }

    @Test
    void aSeedReplaysTheSameHistory() {
        assertEquals(new Sequence(caches, BASE_SEED, false).run(), new Sequence(caches, BASE_SEED, false).run());
    }

    /** Throws a checked exception from code that declares none, as a Kotlin loader would. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable checked) throws T {
        throw (T) checked;
    }

    /** A Key the cache handed out, with the model's id for it ({@link CacheModel#NEVER_VALID} if none). */
    private record IssuedKey(int index, PixmapCache.Key key, int id) {
        Anonymous slot() {
            return new Anonymous(id);
        }

        @Override
        public String toString() {
            return "K" + index;
        }
    }

    /** A lease kept open across later operations, closed at the start of step {@code closeAt}. */
    private record HeldLease(PixmapLease lease, Spec spec, int closeAt) {}

    /**
     * One reproducible sequence: a fresh cache and model, driven by one seed, or by any source of
     * choices ({@code CacheOperationsFuzzTest} feeds the fuzzer's bytes).
     */
    static final class Sequence {
        private final String source;
        private final RandomGenerator random;
        private final int steps;
        private final TestAllocator allocator;
        private final PixmapCache<Object> cache;
        /** User keys whose hashCode throws while they are throwing; the model knows them by name. */
        private final BrokenKey[] brokenKeys = {
            new BrokenKey(0), new BrokenKey(1)};
        private final CacheModel model;
        private final List<IssuedKey> issuedKeys = new ArrayList<>();
        private final Map<Integer, IssuedKey> keysById = new HashMap<>();
        private final List<HeldLease> heldLeases = new ArrayList<>();
        private final Arena expectedArena = Arena.ofConfined();
        private final Map<Integer, Pixmap> expectedPixmaps = new HashMap<>();
        private final List<String> history = new ArrayList<>();
        private final boolean checkKeysReleased;
        /** Every string key object handed to the cache, to prove that close() lets go of them. */
        private final List<WeakReference<Object>> keysGiven = new ArrayList<>();
        private int nextPixmapId;
        private int step;

        /** A sequence whose allocator and cache {@code caches} checks and closes after the test too. */
        Sequence(CacheFixture caches, long seed, boolean checkKeysReleased) {
            this(caches, new SplittableRandom(seed), "seed " + seed + "; replay: ./mvnw -q test -Dtest=CacheModelTest"
                    + " -Dpixmapcache.model.seed=" + seed + " -Dpixmapcache.model.sequences=1", STEPS, checkKeysReleased);
        }

        /** A sequence of {@code steps} operations chosen by {@code random}, named {@code source} in a failure. */
        Sequence(CacheFixture caches, RandomGenerator random, String source, int steps, boolean checkKeysReleased) {
            this.source = source;
            this.steps = steps;
            this.checkKeysReleased = checkKeysReleased;
            this.random = random;
            long budget = random.nextLong(1_024, LARGEST_BUDGET / 2 + 1);
            this.allocator = caches.newAllocator();
            this.cache = caches.track(
                    allocator.<Object>builder().maximumBytes(budget).evictionPolicy(EvictionPolicy.LRU).build());
            this.model = new CacheModel(budget);
            history.add("build(maximumBytes " + budget + ")");
        }

        /** Runs every step and the final checks; returns the history. */
        List<String> run() {
            try (expectedArena) {
                for (step = 0; step < steps; step++) {
                    closeDueLeases();
                    randomOperation();
                    verify();
                }
                finish();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(report(e), e);
            }
            return history;
        }

        // ------------------------------------------------------------------ operations

        private void randomOperation() {
            int roll = random.nextInt(100);
            if (roll < 30) {
                insertNamed();
            } else if (roll < 44) {
                insertAnonymous();
            } else if (roll < 53) {
                replace();
            } else if (roll < 65) {
                findNamed();
            } else if (roll < 70) {
                computeIfAbsent();
            } else if (roll < 71) {
                toggleBrokenKey();
            } else if (roll < 84) {
                findByKey();
            } else if (roll < 91) {
                removeNamed();
            } else if (roll < 97) {
                removeByKey();
            } else if (roll < 99) {
                setMaximumBytes();
            } else {
                clear();
            }
        }

        private void insertNamed() {
            Object key = randomUserKey();
            Spec spec = randomSpec();
            log("insert(" + key + ", " + spec + ")");
            if (refuses(key) && spec.byteSize() <= model.maximumBytes()) {  // a size check comes first
                logged(assertThrows(BrokenKey.Refused.class,
                        () -> withSource(spec, pixmap -> cache.insert(key, pixmap))));
                return;
            }
            boolean inserted = logged(withSource(spec, pixmap -> cache.insert(key, pixmap)));
            assertEquals(model.insert(modelKey(key), spec), inserted, "insert result");
            given(key);
        }

        private void insertAnonymous() {
            Spec spec = randomSpec();
            log("insert(" + spec + ")");
            PixmapCache.Key key = withSource(spec, pixmap -> cache.insert(pixmap));
            IssuedKey issued = new IssuedKey(issuedKeys.size(), key, model.insert(spec));
            issuedKeys.add(issued);
            if (issued.id() == NEVER_VALID) {
                logged(issued + " (never valid)");
            } else {
                logged(issued);
                keysById.put(issued.id(), issued);
            }
        }

        private void replace() {
            if (issuedKeys.isEmpty()) {
                insertAnonymous();
                return;
            }
            IssuedKey key = randomIssuedKey();
            Spec spec = randomSpec();
            log("replace(" + key + ", " + spec + ")");
            boolean replaced = logged(withSource(spec, pixmap -> cache.replace(key.key(), pixmap)));
            assertEquals(model.replace(key.id(), spec), replaced, "replace result");
        }

        private void findNamed() {
            Object key = randomUserKey();
            log("find(" + key + ")");
            if (refuses(key)) {
                logged(assertThrows(BrokenKey.Refused.class, () -> cache.find(key)));
                return;
            }
            checkFound(cache.find(key), new Named(modelKey(key)));
        }

        /**
         * A hit, or a miss whose loader fails with a checked exception, returns a result too large
         * to cache, or draws a random spec into the cache's allocator.
         */
        private void computeIfAbsent() {
            Object key = randomUserKey();
            int how = random.nextInt(4);
            Spec spec = how == 1 ? new Spec(nextPixmapId++, 64, 65, PixelFormat.RGBA_8888) : randomSpec();
            log("computeIfAbsent(" + key + ", " + (how == 0 ? "throws IOException" : spec) + ")");
            if (refuses(key)) {
                logged(assertThrows(BrokenKey.Refused.class,
                        () -> cache.computeIfAbsent(key, (k, pixmaps) -> fail("loaded"))));
                return;
            }
            Named slot = new Named(modelKey(key));
            Spec cached = model.find(slot);
            IOException failure = new IOException("the loader failed on purpose");
            PixmapLoader<Object> loader = (k, pixmaps) -> {
                assertNull(cached, "loaded on a hit");
                if (how == 0) {
                    throw sneaky(failure);
                }
                return spec.paint(pixmaps.allocate(spec.width(), spec.height(), spec.format()));
            };
            if (cached == null && how == 0) {
                assertSame(failure, logged(assertThrows(IOException.class, () -> cache.computeIfAbsent(key, loader))));
                return;
            }
            PixmapLease lease = cache.computeIfAbsent(key, loader);
            given(key);
            Spec expected = cached != null ? cached : spec;
            if (cached == null) {
                model.insert(modelKey(key), spec);  // false, counted as a rejection, if too large
            }
            keepOrClose(lease, expected);
        }

        private void given(Object key) {
            if (key instanceof String) {
                keysGiven.add(new WeakReference<>(key));
            }
        }

        private void toggleBrokenKey() {
            BrokenKey key = brokenKeys[random.nextInt(brokenKeys.length)];
            key.setThrowing(!key.isThrowing());
            log(key + (key.isThrowing() ? " starts" : " stops") + " throwing from hashCode");
        }

        private void findByKey() {
            if (issuedKeys.isEmpty()) {
                insertAnonymous();
                return;
            }
            IssuedKey key = randomIssuedKey();
            log("find(" + key + ")");
            checkFound(cache.find(key.key()), key.slot());
        }

        /** Checks a find against the model's; sometimes keeps the lease open for later steps. */
        private void checkFound(PixmapLease lease, Slot slot) {
            Spec expected = model.find(slot);
            if (expected == null) {
                logged("miss");
                assertNull(lease, "the model misses " + slot + ", the cache hits");
                return;
            }
            assertNotNull(lease, "the model finds " + expected + " under " + slot + ", the cache misses");
            keepOrClose(lease, expected);
        }

        /** Checks a lease's pixels; sometimes keeps it open for later steps. */
        private void keepOrClose(PixmapLease lease, Spec expected) {
            assertPixels(expected, lease.pixmap(), "leased");
            if (random.nextInt(6) == 0) {
                int closeAt = step + 1 + random.nextInt(LONGEST_HOLD);
                logged(expected + ", lease held until step " + closeAt);
                heldLeases.add(new HeldLease(lease, expected, closeAt));
            } else {
                logged(expected);
                lease.close();
            }
        }

        private void removeNamed() {
            Object key = randomUserKey();
            log("remove(" + key + ")");
            if (refuses(key)) {
                logged(assertThrows(BrokenKey.Refused.class, () -> cache.remove(key)));
                return;
            }
            boolean removed = logged(cache.remove(key));
            assertEquals(model.remove(new Named(modelKey(key))), removed, "remove result");
        }

        private void removeByKey() {
            if (issuedKeys.isEmpty()) {
                insertAnonymous();
                return;
            }
            IssuedKey key = randomIssuedKey();
            log("remove(" + key + ")");
            boolean removed = logged(cache.remove(key.key()));
            assertEquals(model.remove(key.slot()), removed, "remove result");
        }

        /** Shrinks (sometimes to nothing) or grows the budget. */
        private void setMaximumBytes() {
            int roll = random.nextInt(10);
            long bytes = roll == 0 ? 0
                    : roll < 5 ? random.nextLong(model.maximumBytes() + 1)
                    : random.nextLong(model.maximumBytes(), LARGEST_BUDGET + 1);
            log("setMaximumBytes(" + bytes + ")");
            cache.setMaximumBytes(bytes);
            model.setMaximumBytes(bytes);
        }

        private void clear() {
            log("clear()");
            cache.clear();
            model.clear();
        }

        private void closeDueLeases() {
            for (Iterator<HeldLease> held = heldLeases.iterator(); held.hasNext(); ) {
                HeldLease lease = held.next();
                if (lease.closeAt() == step) {
                    held.remove();
                    close(lease);
                }
            }
        }

        /** Closes a held lease whose pixels must have stayed intact; afterwards its view is dead. */
        private void close(HeldLease held) {
            log("close lease on " + held.spec());
            Pixmap view = held.lease().pixmap();
            assertPixels(held.spec(), view, "held lease before closing");
            held.lease().close();
            assertThrows(IllegalStateException.class, held.lease()::pixmap, "pixmap() of a closed lease");
            assertThrows(IllegalStateException.class, () -> view.getArgb(0, 0), "pixel read through a closed lease");
        }

        // ------------------------------------------------------------------ checks

        private void verify() {
            for (HeldLease held : heldLeases) {
                assertPixels(held.spec(), held.lease().pixmap(), "held lease");
            }
            assertEquals(model.maximumBytes(), cache.maximumBytes(), "maximumBytes()");
            assertEquals(model.size(), cache.size(), "size()");
            assertEquals(model.usedBytes(), cache.usedBytes(), "usedBytes()");
            assertTrue(cache.usedBytes() <= cache.maximumBytes(), "usedBytes() above maximumBytes()");
            assertEquals(model.stats(leasedDetachedBytes()), cache.stats(), "stats()");
            for (IssuedKey key : issuedKeys) {
                assertEquals(model.contains(key.slot()), key.key().isValid(), key + ".isValid()");
            }
            findEveryEntryInRecencyOrder();
        }

        /**
         * Finds every entry the model holds and checks its pixels, least recently used first: each
         * hit moves its entry to the most recent end, so the recency order ends as it began, and the
         * model sees the same finds, so its hit count stays in step.
         */
        private void findEveryEntryInRecencyOrder() {
            for (Slot slot : model.leastRecentFirst()) {
                if (slot instanceof Named named && refuses(userKey(named.key()))) {
                    continue;  // unfindable while its hashCode throws; the model skips the find too
                }
                Spec expected = model.find(slot);
                try (PixmapLease lease = switch (slot) {
                    case Named named -> cache.find(userKey(named.key()));
                    case Anonymous anonymous -> cache.find(keysById.get(anonymous.id()).key());
                }) {
                    assertNotNull(lease, "the model holds " + expected + " under " + slot + ", the cache misses");
                    assertPixels(expected, lease.pixmap(), "found under " + slot);
                }
            }
        }

        /** Bytes of the pixmaps that held leases pin and that are no longer in the cache. */
        private long leasedDetachedBytes() {
            return leasedSpecs().stream().filter(spec -> !model.holds(spec)).mapToLong(Spec::byteSize).sum();
        }

        private List<Spec> leasedSpecs() {
            return heldLeases.stream().map(HeldLease::spec).distinct().toList();
        }

        /**
         * Closes the cache and every held lease, in a random order; pinned memory must outlive the
         * cache and nothing may stay allocated at the end.
         */
        private void finish() {
            boolean cacheFirst = random.nextBoolean();
            if (cacheFirst) {
                closeCache();
                long leasedBytes = leasedSpecs().stream().mapToLong(Spec::byteSize).sum();
                assertEquals(leasedBytes, allocator.liveBytes(), "native bytes left after close(): only the leased pixmaps");
            }
            for (HeldLease held : heldLeases) {
                close(held);
            }
            heldLeases.clear();
            if (!cacheFirst) {
                closeCache();
            }
            assertEquals(0, allocator.liveBytes(), "native bytes left after the cache and every lease closed");
            if (checkKeysReleased) {
                assertClosedCacheKeepsNoKey();
            }
        }

        /** The closed cache, still reachable, holds none of the keys it was given (nor, so, their entries). */
        private void assertClosedCacheKeepsNoKey() {
            model.clear();
            for (int round = 0; round < GC_ROUNDS && keysGiven.stream().anyMatch(r -> !r.refersTo(null)); round++) {
                System.gc();
            }
            long kept = keysGiven.stream().filter(r -> !r.refersTo(null)).count();
            assertEquals(0, kept, "of " + keysGiven.size() + " keys given, reachable after close()");
            Reference.reachabilityFence(cache);
        }

        private void closeCache() {
            log("close()");
            cache.close();
            for (IssuedKey key : issuedKeys) {
                assertFalse(key.key().isValid(), key + ".isValid() after close()");
            }
        }

        private void assertPixels(Spec expected, Pixmap actual, String what) {
            Pixmap wanted = expectedPixmaps.computeIfAbsent(expected.id(), _ -> expected.draw(expectedArena));
            assertTrue(wanted.contentEquals(actual), what + ": expected the pixels of " + expected + ", got " + actual);
        }

        // ------------------------------------------------------------------ inputs and history

        /** Calls {@code call} with a freshly drawn source pixmap whose memory is gone afterwards. */
        private <T> T withSource(Spec spec, Function<Pixmap, T> call) {
            try (Arena arena = Arena.ofConfined()) {
                return call.apply(spec.draw(arena));
            }
        }

        private Spec randomSpec() {
            PixelFormat format = FORMATS[random.nextInt(FORMATS.length)];
            boolean large = random.nextInt(6) == 0;  // often near or above the budget
            int width = large ? random.nextInt(24, 64) : random.nextInt(1, 25);
            int height = large ? random.nextInt(16, 48) : random.nextInt(1, 17);
            return new Spec(nextPixmapId++, width, height, format);
        }

        /**
         * Mostly a string; otherwise a Key of this cache or of another one used as a user key, or a
         * key whose hashCode may throw.
         */
        private Object randomUserKey() {
            int roll = random.nextInt(100);
            if (roll < 8 && !issuedKeys.isEmpty()) {
                return issuedKeys.get(random.nextInt(issuedKeys.size())).key();
            }
            if (roll < 14) {
                return FOREIGN_KEYS.get(random.nextInt(FOREIGN_KEYS.size()));
            }
            if (roll < 24) {
                return brokenKeys[random.nextInt(brokenKeys.length)];
            }
            return "k" + random.nextInt(USER_KEYS);
        }

        /** The model's name for a user key: a broken key's hashCode must never run inside the model. */
        private Object modelKey(Object key) {
            return key instanceof BrokenKey broken ? "broken " + brokenIndex(broken) : key;
        }

        private Object userKey(Object modelKey) {
            for (int i = 0; i < brokenKeys.length; i++) {
                if (("broken " + i).equals(modelKey)) {
                    return brokenKeys[i];
                }
            }
            return modelKey;
        }

        private int brokenIndex(BrokenKey key) {
            for (int i = 0; i < brokenKeys.length; i++) {
                if (brokenKeys[i] == key) {
                    return i;
                }
            }
            throw new AssertionError(key + " is not this sequence's");
        }

        private static boolean refuses(Object key) {
            return key instanceof BrokenKey broken && broken.isThrowing();
        }

        /** Mostly a Key the model holds, otherwise any Key issued so far (stale or never valid). */
        private IssuedKey randomIssuedKey() {
            List<IssuedKey> live = issuedKeys.stream().filter(key -> model.contains(key.slot())).toList();
            List<IssuedKey> pool = live.isEmpty() || random.nextInt(3) == 0 ? issuedKeys : live;
            return pool.get(random.nextInt(pool.size()));
        }

        private void log(String operation) {
            history.add(step + ": " + operation);
        }

        /** Appends {@code result} to the last logged operation, and returns it. */
        private <T> T logged(T result) {
            int last = history.size() - 1;
            history.set(last, history.get(last) + " -> " + result);
            return result;
        }

        private String report(Throwable failure) {
            return "sequence (" + source + ") failed at step " + step + ": " + failure
                    + "\nhistory:\n  " + String.join("\n  ", history);
        }
    }
}
