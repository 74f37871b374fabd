package io.github.pixmapcache.internal.jfr;

import io.github.pixmapcache.internal.index.Entry;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/** One run of a {@code computeIfAbsent} loader, from its start to the cache's decision on the result. */
@Name("io.github.pixmapcache.Load")
@Label("Pixmap Load")
@Category("Pixmap Cache")
@Description("A computeIfAbsent loader run for a missing key: its duration, the bytes it produced, and what became of them")
@StackTrace(false)
@Threshold("10 ms")  // by default only slow loads; pixmap-cache.jfc records every one
public final class LoadEvent extends Event {
    /** The loaded pixmap entered the cache. */
    static final String CACHED = "cached";
    /** Returned to the caller only: larger than the budget, or left out at once by the policy. */
    static final String NOT_CACHED = "not cached";
    /** A pixmap inserted under the key while the loader ran was kept instead. */
    static final String SUPERSEDED = "superseded";

    @Label("Cache")
    String cache;

    @Label("Key")
    @Description("The key's toString()")
    String key;

    @Label("Bytes")
    @DataAmount(DataAmount.BYTES)
    long bytes;

    @Label("Outcome")
    @Description("cached, not cached, superseded, or failed: and the exception's class")
    String outcome;

    /** Starts timing a loader run. */
    static LoadEvent start() {
        LoadEvent event = new LoadEvent();
        event.begin();
        return event;
    }

    /** The loader produced {@code loaded}; the cache kept {@code published} (the same, or one inserted meanwhile). */
    void loaded(Object cache, Object key, Entry loaded, Entry published) {
        if (shouldCommit()) {
            commit(cache, key, loaded.byteSize(),
                    published != loaded ? SUPERSEDED : published.isCached() ? CACHED : NOT_CACHED);
        }
    }

    /** The load threw {@code failure} (the loader, its allocations or the copy of its result); nothing was cached. */
    void failed(Object cache, Object key, Throwable failure) {
        if (shouldCommit()) {
            commit(cache, key, 0, "failed: " + failure.getClass().getName());
        }
    }

    private void commit(Object cache, Object key, long bytes, String outcome) {
        this.cache = CacheId.of(cache);
        this.key = CacheId.textOf(key);
        this.bytes = bytes;
        this.outcome = outcome;
        commit();
    }
}
