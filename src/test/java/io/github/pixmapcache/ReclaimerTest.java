package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.reclaim.Reclaimer;
import io.github.pixmapcache.internal.concurrent.ThreadState;
import io.github.pixmapcache.internal.stats.StatsCounter;
import io.github.pixmapcache.testing.TestAllocator;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reclaimer on its own, against a real entry and the poisoning test allocator: which protection
 * a reader gets, when the block is freed, and that it is freed once. The concurrent claims are the
 * jcstress tests {@code ReclaimFreesOnce} and {@code ReclaimNeverFreesRead}.
 */
class ReclaimerTest {
    private static final int BYTES = 64;

    private final TestAllocator allocator = new TestAllocator();
    private final Reclaimer reclaimer = new Reclaimer(allocator, new StatsCounter());

    @AfterEach
    void nothingLeaked() {
        assertEquals(0, allocator.liveBytes(), "native bytes still allocated");
    }

    @Test
    void aHazardSlotKeepsARetiredEntryUntilReleased() {
        Entry entry = cachedEntry();
        int slot = reclaimer.tryProtect(entry, ThreadState.current().index());
        assertTrue(slot >= 0, "a slot of this thread's stripe");
        assertSame(entry, reclaimer.protectedEntry(slot));

        reclaimer.release(entry, Reclaimer.COUNTED);  // the cache lets go: retired, still protected
        assertAll(() -> assertTrue(entry.isRetired()), () -> assertEquals(0, allocator.frees()));
        assertEquals(Reclaimer.RETIRED, reclaimer.tryProtect(entry, ThreadState.current().index()),
                "a retired entry is never protected anew");
        assertFalse(entry.tryPin(), "nor pinned anew");

        reclaimer.release(entry, slot);
        assertEquals(1, allocator.frees(), "the last protection frees the block");
    }

    @Test
    void aFullStripeFallsBackToACountedPin() {
        Entry entry = cachedEntry();
        List<Integer> slots = new ArrayList<>();
        int guard;
        while ((guard = reclaimer.tryProtect(entry, ThreadState.current().index())) >= 0) {
            slots.add(guard);
        }
        assertAll(
                () -> assertEquals(Reclaimer.NO_SLOT, reclaimer.tryProtect(entry, ThreadState.current().index())),
                () -> assertTrue(slots.size() >= 1 && slots.size() <= 64, "slots per stripe: " + slots.size()),
                () -> assertEquals(slots.size(), slots.stream().distinct().count(), "every slot claimed once"));
        assertTrue(entry.tryPin(), "the fallback: a counted reference");

        reclaimer.release(entry, Reclaimer.COUNTED);  // the cache's
        slots.forEach(slot -> reclaimer.release(entry, slot));
        assertEquals(0, allocator.frees(), "the counted pin still holds it");
        reclaimer.release(entry, Reclaimer.COUNTED);
        assertEquals(1, allocator.frees());
    }

    @Test
    void aSlotReleasedOnAnotherThreadStillFreesOnce() throws Exception {
        Entry entry = cachedEntry();
        int slot = reclaimer.tryProtect(entry, ThreadState.current().index());
        reclaimer.release(entry, Reclaimer.COUNTED);
        CompletableFuture.runAsync(() -> reclaimer.release(entry, slot)).get();  // as a leak detector does
        assertEquals(1, allocator.frees());
    }

    @Test
    void aCountTakenUnderAHazardSurvivesTheHazard() {
        Entry entry = cachedEntry();
        int slot = reclaimer.tryProtect(entry, ThreadState.current().index());
        reclaimer.release(entry, Reclaimer.COUNTED);
        assertTrue(entry.pinUnlessFreed(), "sharing a lease on a retired entry");
        reclaimer.release(entry, slot);
        assertEquals(0, allocator.frees(), "the shared count keeps the block");
        reclaimer.release(entry, Reclaimer.COUNTED);
        assertEquals(1, allocator.frees());
        assertFalse(entry.pinUnlessFreed(), "a freed entry is never revived");
        assertThrows(IllegalStateException.class, () -> entry.unpin(), "a release too many fails loudly");
    }

    @Test
    void manyLeasesOfOneThreadOnOneEntryAreFreedOnceAfterRemoval() {
        try (Arena arena = Arena.ofConfined();
                PixmapCache<String> cache = allocator.<String>builder().build()) {
            Pixmap source = Pixmap.allocate(arena, 4, 4, PixelFormat.BGRA_8888_PRE);
            source.fill(0xFF112233);
            cache.insert("a", source);
            List<PixmapLease> leases = new ArrayList<>();
            for (int i = 0; i < 100; i++) {  // far beyond a stripe: most are counted pins
                leases.add(cache.find("a"));
            }
            cache.remove("a");
            for (PixmapLease lease : leases) {
                assertEquals(0xFF112233, lease.pixmap().getArgb(3, 3));
                lease.close();
            }
            assertEquals(1, allocator.frees(), "freed once, by the last lease");
        }
    }

    private Entry cachedEntry() {
        return new Entry("key", Entry.KEYED, allocator.allocate(BYTES), BYTES, 4, 4, PixelFormat.BGRA_8888_PRE);
    }
}
