package io.github.pixmapcache.internal.policy;

/**
 * Least recently used first, as Qt's {@code QCache}: one queue from least to most recently used,
 * where adding or accessing an entry moves it to the most recent end.
 */
public final class LruOrder<E extends PolicyEntry<E>> implements EvictionOrder<E> {
    private final WeightedQueue<E> queue = new WeightedQueue<>(0);

    @Override
    public void add(E entry) {
        queue.addLast(entry);
    }

    @Override
    public void recordAccess(E entry) {
        queue.moveToLast(entry);
    }

    @Override
    public void remove(E entry) {
        queue.remove(entry);
    }

    @Override
    public E victim() {
        return queue.first();
    }
}
