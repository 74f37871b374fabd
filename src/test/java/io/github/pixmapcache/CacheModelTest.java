package io.github.pixmapcache;

import static io.github.pixmapcache.testing.CacheModel.NEVER_VALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.CacheModel;
import io.github.pixmapcache.testing.CacheModel.Anonymous;
import io.github.pixmapcache.testing.CacheModel.Named;
import io.github.pixmapcache.testing.CacheModel.Slot;
import io.github.pixmapcache.testing.CacheModel.Spec;
import io.github.pixmapcache.testing.TestAllocator;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
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
    private static final PixelFormat[] FORMATS = PixelFormat.values();

    @RegisterExtension
    final CacheFixture caches = new CacheFixture();

    @Test
    void randomOperationSequencesMatchTheModel() {
        for (int i = 0; i < SEQUENCES; i++) {
            new Sequence(caches, BASE_SEED + i).run();
        }
    }

    @Test
    void aSeedReplaysTheSameHistory() {
        assertEquals(new Sequence(caches, BASE_SEED).run(), new Sequence(caches, BASE_SEED).run());
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

    /** One reproducible sequence: a fresh cache and model, driven by one seed. */
    private static final class Sequence {
        private final long seed;
        private final SplittableRandom random;
        private final TestAllocator allocator;
        private final PixmapCache<String> cache;
        private final CacheModel model;
        private final List<IssuedKey> issuedKeys = new ArrayList<>();
        private final Map<Integer, IssuedKey> keysById = new HashMap<>();
        private final List<HeldLease> heldLeases = new ArrayList<>();
        private final Arena expectedArena = Arena.ofConfined();
        private final Map<Integer, Pixmap> expectedPixmaps = new HashMap<>();
        private final List<String> history = new ArrayList<>();
        private int nextPixmapId;
        private int step;

        /** A sequence whose allocator and cache {@code caches} checks and closes after the test too. */
        Sequence(CacheFixture caches, long seed) {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            long budget = random.nextLong(1_024, LARGEST_BUDGET / 2 + 1);
            this.allocator = caches.newAllocator();
            this.cache = caches.track(
                    allocator.<String>builder().maximumBytes(budget).evictionPolicy(EvictionPolicy.LRU).build());
            this.model = new CacheModel(budget);
            history.add("build(maximumBytes " + budget + ")");
        }

        /** Runs every step and the final checks; returns the history. */
        List<String> run() {
            try (expectedArena) {
                for (step = 0; step < STEPS; step++) {
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
            } else if (roll < 71) {
                findNamed();
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
            String key = randomUserKey();
            Spec spec = randomSpec();
            log("insert(\"" + key + "\", " + spec + ")");
            boolean inserted = logged(withSource(spec, pixmap -> cache.insert(key, pixmap)));
            assertEquals(model.insert(key, spec), inserted, "insert result");
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
            String key = randomUserKey();
            log("find(\"" + key + "\")");
            checkFound(cache.find(key), new Named(key));
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
            assertPixels(expected, lease.pixmap(), "found under " + slot);
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
            String key = randomUserKey();
            log("remove(\"" + key + "\")");
            boolean removed = logged(cache.remove(key));
            assertEquals(model.remove(new Named(key)), removed, "remove result");
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
                Spec expected = model.find(slot);
                try (PixmapLease lease = switch (slot) {
                    case Named named -> cache.find(named.key());
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

        private String randomUserKey() {
            return "k" + random.nextInt(USER_KEYS);
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
            return "sequence with seed " + seed + " failed at step " + step + ": " + failure
                    + "\nreplay: ./mvnw -q test -Dtest=CacheModelTest -Dpixmapcache.model.seed=" + seed
                    + " -Dpixmapcache.model.sequences=1"
                    + "\nhistory:\n  " + String.join("\n  ", history);
        }
    }
}
