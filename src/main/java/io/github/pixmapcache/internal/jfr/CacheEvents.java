package io.github.pixmapcache.internal.jfr;

import io.github.pixmapcache.EvictionPolicy;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.internal.index.Entry;
import jdk.jfr.FlightRecorder;

/**
 * What the engine calls, one line per site. Until JFR is initialized (by a recording: the
 * {@code -XX:StartFlightRecording} option, {@code jcmd JFR.start}, the {@code Recording} API), no
 * recording can be on, so no event class is even loaded: the JDK instruments an event class as
 * it loads, which takes hundreds of milliseconds the first time. After that, each event is created
 * and timed, and {@code shouldCommit()} decides whether it is written.
 */
public final class CacheEvents {
    private CacheEvents() {}

    private static boolean recorderInitialized() {
        return FlightRecorder.isInitialized();
    }

    /** {@return a timed load event, or null while JFR is not initialized} */
    public static LoadEvent loadStarted() {
        return recorderInitialized() ? LoadEvent.start() : null;
    }

    /** The loader produced {@code loaded}; the cache kept {@code published} (the same, or one inserted meanwhile). */
    public static void loaded(LoadEvent event, Object cache, Object key, Entry loaded, Entry published) {
        if (event != null) {
            event.loaded(cache, key, loaded, published);
        }
    }

    /** The load threw {@code failure}; nothing was cached. */
    public static void loadFailed(LoadEvent event, Object cache, Object key, Throwable failure) {
        if (event != null) {
            event.failed(cache, key, failure);
        }
    }

    /** {@return a timed eviction batch starting at {@code size} pixmaps of {@code usedBytes}, or null} */
    public static EvictionEvent evictionStarted(int size, long usedBytes) {
        return recorderInitialized() ? EvictionEvent.start(size, usedBytes) : null;
    }

    /** The batch ended at {@code size} pixmaps of {@code usedBytes}. */
    public static void evictionEnded(EvictionEvent batch, Object cache, EvictionPolicy policy, int size, long usedBytes) {
        if (batch != null) {
            batch.end(cache, policy, size, usedBytes);
        }
    }

    /** {@code requestedBytes} for {@code what} ("pixels", "key table") could not be had. */
    public static void allocationFailed(Object cache, long requestedBytes, String what) {
        if (recorderInitialized()) {
            AllocationFailureEvent.record(cache, requestedBytes, what);
        }
    }

    /** The leak detector released the pin of a lease on {@code pinned}, acquired at {@code acquisition}. */
    public static void leaseLeaked(Object pinned, Throwable acquisition) {
        if (recorderInitialized()) {
            LeakedLeaseEvent.record(pinned, acquisition);
        }
    }

    /** {@return a timed shared lease close, or null} */
    public static SharedLeaseCloseEvent sharedCloseStarted() {
        return recorderInitialized() ? SharedLeaseCloseEvent.start() : null;
    }

    /** The close of a shared lease of {@code cache} on {@code bytes} is done. */
    public static void sharedCloseEnded(SharedLeaseCloseEvent close, Object cache, long bytes) {
        if (close != null) {
            close.end(cache, bytes);
        }
    }

    /** {@code cache} is built: its counters are recorded every second while a recording wants them. */
    public static void cacheOpened(PixmapCache<?> cache) {
        OpenCaches.add(cache);
    }

    /** {@code cache} is closed. */
    public static void cacheClosed(PixmapCache<?> cache) {
        OpenCaches.remove(cache);
    }
}
