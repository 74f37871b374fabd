package io.github.pixmapcache;

/** Which cached pixmap makes room for a new one when the byte budget is full. */
public enum EvictionPolicy {
    /**
     * Least recently used first, in exactly the order of Qt's {@code QPixmapCache}: an insert or a
     * successful find makes an entry the most recently used.
     */
    LRU
}
