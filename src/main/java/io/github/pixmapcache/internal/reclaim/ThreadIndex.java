package io.github.pixmapcache.internal.reclaim;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small number per thread, handed out in the order threads first ask for one. Striped structures
 * (hazard slots, read-buffer rings) pick their stripe with it: threads that start using the cache
 * together get consecutive numbers, so up to as many threads as there are stripes never share one,
 * which hashing the thread id cannot promise.
 */
public final class ThreadIndex {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final ThreadLocal<Integer> INDEX = ThreadLocal.withInitial(NEXT::getAndIncrement);

    private ThreadIndex() {}

    /** The calling thread's number; any int, to be masked by the caller. */
    public static int current() {
        return INDEX.get();
    }
}
