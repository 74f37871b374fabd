package io.github.pixmapcache.internal.concurrent;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the find path keeps per thread, behind one thread-local lookup: the thread's number, which
 * picks its stripe of hazard slots and its read ring, and the random state of its leak sampling.
 * Not thread-safe: only its own thread uses it.
 *
 * <p>A platform thread gets an <em>owned</em> number: dense, and no other live thread has it, so a
 * cache can give it a read ring of its own that it writes with plain stores. A number is handed on
 * once its thread has died ({@link Thread#isAlive()} false, which happens-after everything the
 * thread did), so there are never more owned numbers than platform threads alive at once, and
 * whatever a dead thread left in its rings belongs to the next thread with its number. A virtual
 * thread gets no owned number (there may be millions): it shares rings with a CAS.
 *
 * <p>Numbers are handed out lowest free first: threads that start using the cache together get
 * consecutive numbers, so up to as many threads as there are stripes never share a hazard stripe,
 * which hashing the thread id cannot promise.
 */
public final class ThreadState {
    /** Numbers of virtual threads: negative, so that {@link #isOwned} tells them from owned numbers. */
    private static final AtomicInteger NEXT_SHARED = new AtomicInteger();
    /** Seeds every state apart, also two that hold the same owned number in turn. */
    private static final AtomicInteger NEXT_SEED = new AtomicInteger();
    private static final ThreadLocal<ThreadState> CURRENT = ThreadLocal.withInitial(ThreadState::new);
    /** Weyl increment of the seeds, so that threads start far apart (as {@code SplittableRandom}'s gamma). */
    private static final int SEED_GAMMA = 0x9E3779B9;
    /** The holder of each owned number; a dead holder's number is free. */
    @GuardedBy("ThreadState.class")
    private static ThreadState[] owners = new ThreadState[8];

    /** The thread, only for {@link #claimOwned} to tell when its number is free. */
    private final Thread thread;
    /** The owned number of a platform thread (at least 0), or a negative number of a virtual thread. */
    private final int index;
    /** Xorshift state; never 0. Written by its own thread only. */
    private int seed;

    private ThreadState() {
        this.thread = Thread.currentThread();
        this.index = thread.isVirtual() ? NEXT_SHARED.getAndIncrement() | Integer.MIN_VALUE : claimOwned(this);
        int mixed = (NEXT_SEED.getAndIncrement() + 1) * SEED_GAMMA;
        this.seed = mixed == 0 ? 1 : mixed;
    }

    /** The lowest number whose holder is dead (or never was), now {@code state}'s. */
    private static synchronized int claimOwned(ThreadState state) {
        for (int number = 0; number < owners.length; number++) {
            if (owners[number] == null || !owners[number].thread.isAlive()) {
                owners[number] = state;
                return number;
            }
        }
        int number = owners.length;
        owners = Arrays.copyOf(owners, 2 * number);
        owners[number] = state;
        return number;
    }

    /** {@return the calling thread's state} */
    public static ThreadState current() {
        return CURRENT.get();
    }

    /**
     * {@return the thread's number, to be masked by the caller}: for a platform thread its owned
     * number (dense, unique among live threads, reused after the thread dies), for a virtual thread
     * a negative number (see {@link #isOwned})
     */
    public int index() {
        return index;
    }

    /** {@return whether {@code index} (an {@link #index()}) is a platform thread's owned number} */
    public static boolean isOwned(int index) {
        return index >= 0;
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
