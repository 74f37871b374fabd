package io.github.pixmapcache.internal.jfr;

/** Names a cache in events, so that the events of several caches in one JVM can be told apart. */
final class CacheId {
    private CacheId() {}

    /** {@return "PixmapCache@" and the cache's identity hash, stable for the cache's lifetime} */
    static String of(Object cache) {
        return "PixmapCache@" + Integer.toHexString(System.identityHashCode(cache));
    }

    /** {@return the key's {@code toString()}, or a note naming what it threw: keys are user code} */
    static String textOf(Object key) {
        try {
            return String.valueOf(key);
        } catch (RuntimeException e) {
            return "<" + key.getClass().getName() + ".toString() threw " + e + ">";
        }
    }
}
