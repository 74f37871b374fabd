package io.github.pixmapcache.internal.policy;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * An eviction order that also keeps, for expiry after access, when each entry was last added or
 * read: entries in the order of their last access with that time, oldest first, beside the order
 * they leave by for room. Only a cache with expiry pays for it: one map node per entry and a clock
 * reading per add and per applied read. A read counts when the cache lock applies it (a find's read
 * waits in the read buffer until then), so an entry expires no earlier than it should.
 */
public final class AccessTimedOrder<E> implements EvictionOrder<E> {
    private final EvictionOrder<E> order;
    private final LongSupplier clock;
    /** In the order of last access, oldest first: an access-ordered map (JDK LinkedHashMap). */
    private final LinkedHashMap<E, Long> lastAccess = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param order decides which entry leaves for room
     * @param clock nanoseconds, never decreasing
     */
    public AccessTimedOrder(EvictionOrder<E> order, LongSupplier clock) {
        this.order = order;
        this.clock = clock;
    }

    @Override
    public void add(E entry) {
        lastAccess.put(entry, clock.getAsLong());
        order.add(entry);
    }

    @Override
    public void recordAccess(E entry) {
        lastAccess.put(entry, clock.getAsLong());
        order.recordAccess(entry);
    }

    @Override
    public void remove(E entry) {
        lastAccess.remove(entry);
        order.remove(entry);
    }

    @Override
    public E victim() {
        return order.victim();
    }

    @Override
    public void setMaximumWeight(long maximumWeight) {
        order.setMaximumWeight(maximumWeight);
    }

    /** The entry accessed longest ago if that was at or before {@code deadline} (nanoseconds), else null. */
    public E accessedAtOrBefore(long deadline) {
        Iterator<Map.Entry<E, Long>> oldest = lastAccess.entrySet().iterator();
        if (!oldest.hasNext()) {
            return null;
        }
        Map.Entry<E, Long> first = oldest.next();
        return first.getValue() - deadline <= 0 ? first.getKey() : null;
    }
}
