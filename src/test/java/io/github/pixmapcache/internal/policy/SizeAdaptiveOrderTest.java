package io.github.pixmapcache.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.testing.FakeEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The default order's choice between Window-TinyLFU (one size) and GreedyDual (sizes that vary). */
class SizeAdaptiveOrderTest {
    private static final long BUDGET = 1 << 20;

    private final SizeAdaptiveOrder<FakeEntry> order = new SizeAdaptiveOrder<>(BUDGET);

    @Test
    void pixmapsOfOneSizeKeepWindowTinyLfuDecidingExactlyAsItWould() {
        WindowTinyLfuOrder<FakeEntry> plain = new WindowTinyLfuOrder<>(1000);
        SizeAdaptiveOrder<FakeEntry> adaptive = new SizeAdaptiveOrder<>(1000);
        List<FakeEntry> plainEntries = new ArrayList<>();
        List<FakeEntry> adaptiveEntries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            plainEntries.add(new FakeEntry("e" + i, 100));
            adaptiveEntries.add(new FakeEntry("e" + i, 100));
            plain.add(plainEntries.getLast());
            adaptive.add(adaptiveEntries.getLast());
        }
        plain.recordAccess(plainEntries.get(2));
        adaptive.recordAccess(adaptiveEntries.get(2));

        for (int i = 0; i < 10; i++) {
            FakeEntry expected = plain.victim();
            FakeEntry actual = adaptive.victim();
            assertEquals(expected.name(), actual.name(), "victim " + i);
            plain.remove(expected);
            adaptive.remove(actual);
        }
        assertFalse(adaptive.sizesVary());
    }

    @Test
    void whenSizesVaryItSwitchesToGreedyDualKeepingEveryEntryAndBackWhenTheyAreUniformAgain() {
        Set<FakeEntry> cached = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            FakeEntry entry = new FakeEntry("v" + i, i % 2 == 0 ? 64 : 4096);  // log2 sizes 6 and 12
            order.add(entry);
            cached.add(entry);
        }
        assertTrue(order.sizesVary());
        FakeEntry victim = order.victim();
        assertEquals(4096, victim.byteSize(), "GreedyDual: of entries seen once, a large one first");

        for (int i = 0; i < 200 && order.sizesVary(); i++) {
            FakeEntry entry = new FakeEntry("u" + i, 1000);
            order.add(entry);
            cached.add(entry);
        }
        assertFalse(order.sizesVary(), "uniform again");

        Set<FakeEntry> drained = new HashSet<>();
        for (FakeEntry next = order.victim(); next != null; next = order.victim()) {
            assertTrue(drained.add(next), next + " named twice");
            order.remove(next);
        }
        assertEquals(cached, drained, "every entry survived both hand-overs");
    }

    @Test
    void aFewOddSizesDoNotSwitch() {
        for (int i = 0; i < 64; i++) {
            order.add(new FakeEntry("t" + i, i % 16 == 0 ? 2048 : 1024));  // one in 16 twice as large
        }

        assertFalse(order.sizesVary());
    }

    @Test
    void aSwitchHandsOverTheFrequenciesToo() {
        FakeEntry hot = new FakeEntry("hot", 64);
        order.add(hot);
        for (int i = 0; i < 5; i++) {
            order.recordAccess(hot);
        }
        List<FakeEntry> others = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            others.add(new FakeEntry("o" + i, i % 2 == 0 ? 64 : 4096));
            order.add(others.getLast());
        }
        assertTrue(order.sizesVary());

        for (int i = 0; i < others.size(); i++) {
            FakeEntry victim = order.victim();
            assertTrue(victim != hot, "the hot entry left before " + (others.size() - i) + " colder ones");
            order.remove(victim);
        }
        assertSame(hot, order.victim());
    }
}
