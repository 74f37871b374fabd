package io.github.pixmapcache.internal.policy;

/** What a frequency- and size-aware order needs to know of an entry, besides its links. */
public interface PolicyEntry<E extends PolicyEntry<E>> extends Linked<E> {
    /** The weight the entry is charged by: its bytes. */
    int byteSize();

    /** A hash of the entry's key, stable for as long as the key is: what its frequency is counted by. */
    int keyHash();

    /** The order's private tag of the queue the entry is in. */
    int queue();

    void setQueue(int queue);
}
