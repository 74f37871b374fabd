package io.github.pixmapcache.internal.policy;

/**
 * Least recently used first, as Qt's {@code QCache}: an intrusive list from least to most
 * recently used, where adding or accessing an entry moves it to the most recent end.
 */
public final class LruOrder<E extends Linked<E>> implements EvictionOrder<E> {
    private E leastRecent;
    private E mostRecent;

    @Override
    public void add(E entry) {
        linkLast(entry);
    }

    @Override
    public void recordAccess(E entry) {
        if (entry != mostRecent) {
            unlink(entry);
            linkLast(entry);
        }
    }

    @Override
    public void remove(E entry) {
        unlink(entry);
    }

    @Override
    public E victim() {
        return leastRecent;
    }

    private void linkLast(E entry) {
        entry.setPrevious(mostRecent);
        entry.setNext(null);
        if (mostRecent == null) {
            leastRecent = entry;
        } else {
            mostRecent.setNext(entry);
        }
        mostRecent = entry;
    }

    private void unlink(E entry) {
        E previous = entry.previous();
        E next = entry.next();
        if (previous == null) {
            leastRecent = next;
        } else {
            previous.setNext(next);
        }
        if (next == null) {
            mostRecent = previous;
        } else {
            next.setPrevious(previous);
        }
        entry.setPrevious(null);
        entry.setNext(null);
    }
}
