package io.github.pixmapcache.internal.policy;

import static io.github.pixmapcache.internal.policy.FrequencySketch.MAXIMUM_FREQUENCY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The count-min sketch on its own: exact counts without collisions, saturation at
 * {@value FrequencySketch#MAXIMUM_FREQUENCY}, estimates that collisions can only raise, few false
 * positives, halving after a sample of {@code 15 * keys} increments, and a table that forgets only
 * when it grows. A fresh sketch has room for 1,024 keys and a sample of 15.
 */
class FrequencySketchTest {
    @Test
    void aKeyNeverSeenIsEstimatedZero() {
        FrequencySketch sketch = new FrequencySketch();

        assertEquals(0, sketch.frequency(42));
    }

    @Test
    void countsRiseOneByOneAndSaturateAtTheMaximum() {
        FrequencySketch sketch = new FrequencySketch();
        sketch.ensureCapacity(1_000);  // a sample of 15,000: no halving here

        for (int count = 1; count <= 40; count++) {
            sketch.increment(7);
            assertEquals(Math.min(count, MAXIMUM_FREQUENCY), sketch.frequency(7), "after " + count + " increments");
        }
    }

    @Test
    void collisionsOnlyOverstateAndRarelyDoSo() {
        int keys = 2_000;
        FrequencySketch sketch = new FrequencySketch();
        sketch.ensureCapacity(keys);  // 2,048 words; a sample of 30,000, above the 6,000 increments here
        SplittableRandom random = new SplittableRandom(11);
        Map<Integer, Integer> counts = new HashMap<>();
        while (counts.size() < keys) {
            counts.putIfAbsent(random.nextInt(), 1 + random.nextInt(5));
        }
        counts.forEach((hash, count) -> {
            for (int i = 0; i < count; i++) {
                sketch.increment(hash);
            }
        });

        long exact = 0;
        for (Map.Entry<Integer, Integer> key : counts.entrySet()) {
            int estimate = sketch.frequency(key.getKey());
            assertTrue(estimate >= key.getValue(), () -> "key " + key.getKey() + " counted " + key.getValue()
                    + " times, estimated " + estimate);
            exact += estimate == key.getValue() ? 1 : 0;
        }
        assertTrue(exact >= keys * 95 / 100, exact + " of " + keys + " estimates exact");
        long falsePositives =
                random.ints(10_000).filter(hash -> !counts.containsKey(hash) && sketch.frequency(hash) > 0).count();
        // Four independent counters per key: about 0.3% of unseen keys collide on all four; one counter: about 6%.
        assertTrue(falsePositives < 200, falsePositives + " of 10,000 unseen keys estimated above 0");
    }

    @Test
    void everyCounterIsHalvedOnceASampleOfIncrementsIsComplete() {
        FrequencySketch sketch = new FrequencySketch();  // a sample of 15
        for (int i = 0; i < 8; i++) {
            sketch.increment(1);
        }
        for (int other = 2; other <= 7; other++) {
            sketch.increment(other);
        }
        assertEquals(8, sketch.frequency(1), "14 increments: no halving yet");
        assertEquals(1, sketch.frequency(2));

        sketch.increment(8);  // the 15th

        assertEquals(4, sketch.frequency(1));
        assertEquals(0, sketch.frequency(2), "1 halved is 0");
        assertEquals(0, sketch.frequency(8));
    }

    @Test
    void incrementsOfASaturatedKeyDoNotHastenTheHalving() {
        FrequencySketch sketch = new FrequencySketch();
        sketch.ensureCapacity(2);  // a sample of 30
        for (int i = 0; i < 15 + 100; i++) {
            sketch.increment(1);  // 15 count, the other 100 find every counter at the maximum
        }
        for (int other = 2; other < 2 + 14; other++) {
            sketch.increment(other);
        }
        assertEquals(MAXIMUM_FREQUENCY, sketch.frequency(1), "29 increments counted: no halving yet");

        sketch.increment(100);  // the 30th counted

        assertEquals(MAXIMUM_FREQUENCY / 2, sketch.frequency(1));
    }

    @Test
    void aSaturatedKeyCountsAgainOnceTheHalvingLowersIt() {
        FrequencySketch sketch = new FrequencySketch();
        sketch.ensureCapacity(2);  // a sample of 30
        for (int i = 0; i < 15 + 100; i++) {
            sketch.increment(1);  // from the 16th on, increments of a saturated key skip the table
        }
        for (int other = 2; other < 2 + 15; other++) {
            sketch.increment(other);  // the 30th counted increment halves every counter
        }
        assertEquals(MAXIMUM_FREQUENCY / 2, sketch.frequency(1));

        sketch.increment(1);

        assertEquals(MAXIMUM_FREQUENCY / 2 + 1, sketch.frequency(1), "the halving ended the saturated key's skip");
    }

    @Test
    void aSaturatedKeyCountsAgainInAGrownTable() {
        FrequencySketch sketch = new FrequencySketch();
        sketch.ensureCapacity(2);  // a sample of 30: no halving here
        for (int i = 0; i < 15 + 1; i++) {
            sketch.increment(1);  // the 16th finds every counter at the maximum
        }
        sketch.ensureCapacity(5_000);  // a larger table, counts forgotten

        sketch.increment(1);

        assertEquals(1, sketch.frequency(1), "the new table's counters of a once saturated key were skipped");
    }

    @Test
    void theTableForgetsOnlyWhenItGrows() {
        FrequencySketch sketch = new FrequencySketch();
        sketch.increment(5);
        sketch.increment(5);

        sketch.ensureCapacity(1_024);  // still 1,024 words
        assertEquals(2, sketch.frequency(5), "no growth, no loss");

        sketch.ensureCapacity(1_025);  // 2,048 words
        assertEquals(0, sketch.frequency(5), "a grown table starts empty");
    }

    @Test
    void growingKeepingCountsKeepsEveryEstimate() {
        FrequencySketch sketch = new FrequencySketch();
        for (int key = 0; key < 300; key++) {
            for (int i = 0; i < key % 7; i++) {
                sketch.increment(key);
            }
        }
        int[] before = new int[300];
        for (int key = 0; key < 300; key++) {
            before[key] = sketch.frequency(key);
        }

        sketch.ensureCapacityKeepingCounts(5_000);  // 8,192 words

        for (int key = 0; key < 300; key++) {
            assertEquals(before[key], sketch.frequency(key), "key " + key);
        }
        sketch.increment(7);
        assertEquals(before[7] + 1, sketch.frequency(7), "and counts on in the larger table");
    }
}
