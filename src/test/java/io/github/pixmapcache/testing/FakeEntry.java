package io.github.pixmapcache.testing;

import io.github.pixmapcache.internal.policy.PolicyEntry;

/**
 * What an eviction order sees of a cached pixmap and nothing more: a size, a key hash, the order's
 * links and queue tag. Named for the failure messages; its key hash is its name's.
 */
public final class FakeEntry implements PolicyEntry<FakeEntry> {
    private final String name;
    private final int byteSize;
    private FakeEntry previous;
    private FakeEntry next;
    private int queue;

    public FakeEntry(String name, int byteSize) {
        this.name = name;
        this.byteSize = byteSize;
    }

    public String name() {
        return name;
    }

    @Override
    public int byteSize() {
        return byteSize;
    }

    @Override
    public int keyHash() {
        return name.hashCode();
    }

    @Override
    public int queue() {
        return queue;
    }

    @Override
    public void setQueue(int queue) {
        this.queue = queue;
    }

    @Override
    public FakeEntry previous() {
        return previous;
    }

    @Override
    public void setPrevious(FakeEntry previous) {
        this.previous = previous;
    }

    @Override
    public FakeEntry next() {
        return next;
    }

    @Override
    public void setNext(FakeEntry next) {
        this.next = next;
    }

    @Override
    public String toString() {
        return name + " (" + byteSize + " B)";
    }
}
