package io.github.pixmapcache.internal.concurrent;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the find path keeps per thread, behind one thread-local lookup: the thread's number, which
 * picks its stripe of hazard slots and its read-buffer ring, and the random state of its leak
 * sampling. Not thread-safe: only its own thread uses it.
 *
 * <p>Numbers are handed out in the order threads first ask for one: threads that start using the
 * cache together get consecutive numbers, so up to as many threads as there are stripes never share
 * one, which hashing the thread id cannot promise.
 */
public final class ThreadState {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final ThreadLocal<ThreadState> CURRENT = ThreadLocal.withInitial(ThreadState::new);
    /** Weyl increment of the seeds, so that threads start far apart (as {@code SplittableRandom}'s gamma). */
    private static final int SEED_GAMMA = 0x9E3779B9;

    private final int index;
    /** Xorshift state; never 0. Written by its own thread only. */
    private int seed;

    private ThreadState() {
        this.index = NEXT.getAndIncrement();
        int mixed = (index + 1) * SEED_GAMMA;
        this.seed = mixed == 0 ? 1 : mixed;
    }

    /** {@return the calling thread's state} */
    public static ThreadState current() {
        return CURRENT.get();
    }

    /** {@return the thread's number; any int, to be masked by the caller} */
    public int index() {
        return index;
    }

    /**
     * {@return true about once in {@code interval} calls, at random}; {@code interval} must be a
     * power of two. A xorshift step on a plain field: a few instructions, no shared write.
     */
    public boolean oneIn(int interval) {
        int x = seed;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        seed = x;
        return (x & (interval - 1)) == 0;
    }
}
