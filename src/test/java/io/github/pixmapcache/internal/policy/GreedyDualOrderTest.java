package io.github.pixmapcache.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.testing.FakeEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** GreedyDual-Size-Frequency on its own: priority {@code L + frequency / bytes}, lowest first. */
class GreedyDualOrderTest {
    private final FrequencySketch sketch = new FrequencySketch();
    private final GreedyDualOrder<FakeEntry> order = new GreedyDualOrder<>(sketch);

    @Test
    void anEmptyOrderHasNoVictim() {
        assertNull(order.victim());
    }

    @Test
    void ofEntriesSeenAsOftenTheLargestLeavesFirst() {
        FakeEntry small = add("small", 100);
        FakeEntry large = add("large", 400);
        add("medium", 200);

        assertSame(large, order.victim());
        order.remove(large);
        assertEquals(0, large.queue(), "a removed entry has no place");
        assertEquals(200, order.victim().byteSize());
        assertSame(small, lastStanding());
    }

    @Test
    void aLargeEntryStaysWhenItIsAskedForAsManyTimesMoreOftenAsItIsLarger() {
        FakeEntry small = add("small", 100);
        FakeEntry large = add("large", 400);
        for (int i = 0; i < 4; i++) {  // 5 per 400 bytes against 1 per 100
            order.recordAccess(large);
        }

        assertSame(small, order.victim());
    }

    /** After evictions the inflation L has grown: a newcomer starts above entries that were hot long ago. */
    @Test
    void oldPopularityFadesBehindTheInflation() {
        FakeEntry once = add("once-hot", 100);
        for (int i = 0; i < 3; i++) {
            order.recordAccess(once);  // priority 4 / 100
        }
        // Newcomer i starts at L + 0.01, where L is the last victim's priority: 0.01, 0.02, 0.03, 0.04 (a tie), 0.05.
        for (int i = 0; i < 5; i++) {
            FakeEntry newcomer = add("n" + i, 100);
            FakeEntry victim = order.victim();
            order.remove(victim);
            if (victim == once) {
                assertTrue(i >= 3, "left before the inflation reached it, at newcomer " + i);
                return;
            }
            assertSame(newcomer, victim, "below the once hot entry, each newcomer leaves at once");
        }
        throw new AssertionError("the once hot entry never left");
    }

    @Test
    void anEntryEvictedAndAskedForAgainComesBackWithItsHistory() {
        FakeEntry first = add("returning", 100);
        order.recordAccess(first);
        order.recordAccess(first);
        order.remove(first);
        add("other", 100);
        order.recordAccess(add("other2", 100));

        FakeEntry back = add("returning", 100);  // seen 4 times in all: more than other (1) and other2 (2)

        assertEquals("other", order.victim().name());
        order.remove(order.victim());
        assertEquals("other2", order.victim().name());
        assertSame(back, lastStanding());
    }

    /**
     * The heap against a model: random adds, reads, removals from anywhere and evictions; every
     * victim has the model's lowest priority (the same formula over the same sketch), and every
     * entry added leaves exactly once.
     */
    @Test
    void randomOperationsAlwaysNameTheLowestPriority() {
        SplittableRandom random = new SplittableRandom(24);
        Map<FakeEntry, Double> model = new HashMap<>();
        double inflation = 0;
        List<FakeEntry> present = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            int operation = random.nextInt(10);
            if (operation < 4 || present.isEmpty()) {
                FakeEntry entry = new FakeEntry("k" + random.nextInt(500), 4 * (1 + random.nextInt(64)));
                order.add(entry);
                present.add(entry);
                model.put(entry, inflation + (double) sketch.frequency(entry.keyHash()) / entry.byteSize());
            } else if (operation < 7) {
                FakeEntry entry = present.get(random.nextInt(present.size()));
                order.recordAccess(entry);
                model.put(entry, inflation + (double) sketch.frequency(entry.keyHash()) / entry.byteSize());
            } else if (operation < 8) {
                FakeEntry entry = present.remove(random.nextInt(present.size()));
                order.remove(entry);
                model.remove(entry);
            } else {
                FakeEntry victim = order.victim();
                double lowest = model.values().stream().min(Comparator.naturalOrder()).orElseThrow();
                assertEquals(lowest, model.get(victim), "step " + step);
                inflation = Math.max(inflation, lowest);
                order.remove(victim);
                present.remove(victim);
                model.remove(victim);
            }
            assertEquals(present.size(), order.size());
        }
        List<FakeEntry> drained = new ArrayList<>();
        order.handOver(drained::add);
        assertEquals(present.size(), drained.size());
        assertEquals(new HashSet<>(present), new HashSet<>(drained));
        assertNull(order.victim());
    }

    private FakeEntry add(String name, int bytes) {
        FakeEntry entry = new FakeEntry(name, bytes);
        order.add(entry);
        return entry;
    }

    private FakeEntry lastStanding() {
        while (order.size() > 1) {
            order.remove(order.victim());
        }
        return order.victim();
    }
}
