package io.github.pixmapcache.internal.policy;

/**
 * The order in which cached entries leave to make room. Called only under the cache lock, so
 * implementations need no synchronization of their own; every operation is O(1), amortized.
 *
 * <p>An order may decide admission through {@link #victim()}: the entry it names may be the one
 * just added, which then leaves at once, as an eviction.
 */
public interface EvictionOrder<E> {
    /** A new entry entered the cache. */
    void add(E entry);

    /** A cached entry was read. */
    void recordAccess(E entry);

    /** A cached entry left the cache for any reason. */
    void remove(E entry);

    /** The entry to evict next, or null if the order is empty. */
    E victim();

    /** The budget changed; an order that sizes its parts by the budget resizes them. */
    default void setMaximumWeight(long maximumWeight) {}
}
