package io.github.pixmapcache.internal.policy;

/** An intrusive list from least to most recently used that knows its total weight in bytes. */
final class WeightedQueue<E extends PolicyEntry<E>> {
    private final int tag;
    private E first;
    private E last;
    private long weight;

    /** @param tag what {@link PolicyEntry#queue()} says of the entries in this queue */
    WeightedQueue(int tag) {
        this.tag = tag;
    }

    boolean contains(E entry) {
        return entry.queue() == tag;
    }

    /** The least recently used entry, or null. */
    E first() {
        return first;
    }

    long weight() {
        return weight;
    }

    void addLast(E entry) {
        entry.setQueue(tag);
        entry.setPrevious(last);
        entry.setNext(null);
        if (last == null) {
            first = entry;
        } else {
            last.setNext(entry);
        }
        last = entry;
        weight += entry.byteSize();
    }

    void moveToLast(E entry) {
        if (entry != last) {
            remove(entry);
            addLast(entry);
        }
    }

    void remove(E entry) {
        E previous = entry.previous();
        E next = entry.next();
        if (previous == null) {
            first = next;
        } else {
            previous.setNext(next);
        }
        if (next == null) {
            last = previous;
        } else {
            next.setPrevious(previous);
        }
        entry.setPrevious(null);
        entry.setNext(null);
        weight -= entry.byteSize();
    }
}
