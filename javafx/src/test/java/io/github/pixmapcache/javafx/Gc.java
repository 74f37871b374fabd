package io.github.pixmapcache.javafx;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Collects garbage, in a bounded loop, until a condition holds. */
final class Gc {
    private static final int ROUNDS = 200;
    private static final long PAUSE_MILLIS = 10;

    private Gc() {
    }

    /** Fails with {@code state} if {@code condition} still does not hold after {@value #ROUNDS} collections. */
    static void until(BooleanSupplier condition, Supplier<?> state) {
        for (int round = 0; round < ROUNDS; round++) {
            if (condition.getAsBoolean()) {
                return;
            }
            System.gc();
            try {
                Thread.sleep(PAUSE_MILLIS);  // the cleaner's thread closes the lease after the collection
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        if (!condition.getAsBoolean()) {
            fail("still not true after " + ROUNDS + " collections: " + state.get());
        }
    }

    /** Collects a few times and checks that {@code condition} held throughout. */
    static void throughout(int rounds, BooleanSupplier condition, Supplier<?> state) {
        for (int round = 0; round < rounds; round++) {
            collect(1);
            if (!condition.getAsBoolean()) {
                fail("false after collection " + round + ": " + state.get());
            }
        }
    }

    /** Collects {@code rounds} times, giving the cleaner's thread time after each. */
    static void collect(int rounds) {
        for (int round = 0; round < rounds; round++) {
            System.gc();
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
