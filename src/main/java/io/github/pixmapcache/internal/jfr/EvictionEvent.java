package io.github.pixmapcache.internal.jfr;

import io.github.pixmapcache.EvictionPolicy;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * The pixmaps one operation evicted to bring the cache back within its budget (an insert, a load,
 * a replace, {@code setMaximumBytes}). Batches that evict nothing are not recorded.
 */
@Name("io.github.pixmapcache.Eviction")
@Label("Pixmap Eviction")
@Category("Pixmap Cache")
@Description("Pixmaps evicted in one go to bring the cache back within its byte budget")
@StackTrace(false)
@Threshold("1 ms")  // by default only slow batches; pixmap-cache.jfc records every one
public final class EvictionEvent extends Event {
    @Label("Cache")
    String cache;

    @Label("Count")
    @Description("Pixmaps evicted")
    int count;

    @Label("Bytes")
    @DataAmount(DataAmount.BYTES)
    @Description("Bytes evicted: their memory is freed now, or when their last lease closes")
    long bytes;

    @Label("Policy")
    String policy;

    private transient int sizeBefore;  // transient: not event fields
    private transient long usedBytesBefore;

    /** Starts a batch in a cache holding {@code size} pixmaps of {@code usedBytes}; under the cache's lock. */
    static EvictionEvent start(int size, long usedBytes) {
        EvictionEvent event = new EvictionEvent();
        event.sizeBefore = size;
        event.usedBytesBefore = usedBytes;
        event.begin();
        return event;
    }

    /** Ends the batch at {@code size} pixmaps of {@code usedBytes}: eviction only ever removes. */
    void end(Object cache, EvictionPolicy policy, int size, long usedBytes) {
        if (size < sizeBefore && shouldCommit()) {
            this.cache = CacheId.of(cache);
            this.count = sizeBefore - size;
            this.bytes = usedBytesBefore - usedBytes;
            this.policy = policy.name();
            commit();
        }
    }
}
