package io.github.pixmapcache;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pixmapcache.testing.CacheFixture;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import java.util.random.RandomGenerator;

/**
 * Fuzzes the cache API with operation sequences the fuzzer chooses: {@link CacheModelTest}'s
 * sequence (named and anonymous keys, keys whose {@code hashCode} throws, foreign keys, sizes at
 * the budget's edges, leases held across later operations, budget changes, clear) with every
 * choice taken from the fuzzer's bytes instead of a seeded random generator, and the model
 * test's invariants checked after every step: the same results as the reference model, the same
 * statistics, no native byte left after close.
 */
class CacheOperationsFuzzTest {
    private static final int MOST_STEPS = 200;

    @BeforeAll
    static void issueForeignKeys() {
        CacheModelTest.issueForeignKeys();
    }

    @FuzzTest(maxDuration = "10m")
    void operationSequences(FuzzedDataProvider data) {
        int steps = data.consumeInt(1, MOST_STEPS);
        byte[] choices = data.consumeRemainingAsBytes();
        CacheFixture caches = new CacheFixture();
        try {
            new CacheModelTest.Sequence(caches, new Choices(choices), "fuzzer input " + HexFormat.of().formatHex(choices),
                    steps, false).run();
        } finally {
            caches.closeAndAssertNothingLeaked();
        }
    }

    /** Choices read from the input, 8 bytes each; zeros once the input is used up. */
    private static final class Choices implements RandomGenerator {
        private final byte[] bytes;
        private int next;

        Choices(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int nextInt() {
            return (int) take(4);
        }

        @Override
        public long nextLong() {
            return take(8);
        }

        private long take(int count) {
            long value = 0;
            for (int i = 0; i < count; i++) {
                value = value << 8 | (next < bytes.length ? bytes[next++] & 0xFF : 0);
            }
            return value;
        }
    }
}
