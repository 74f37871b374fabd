package io.github.pixmapcache.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/** The close of a shared lease: its duration is the handshake with every thread that closing a shared arena takes. */
@Name("io.github.pixmapcache.SharedLeaseClose")
@Label("Shared Pixmap Lease Close")
@Category("Pixmap Cache")
@Description("A shared lease closed: the duration is the thread handshake of closing its shared arena")
@Threshold("1 ms")  // by default only slow handshakes; pixmap-cache.jfc records every one
public final class SharedLeaseCloseEvent extends Event {
    @Label("Cache")
    String cache;

    @Label("Bytes")
    @DataAmount(DataAmount.BYTES)
    @Description("The size of the pixmap the lease pinned")
    long bytes;

    /** Starts timing a shared lease's close. */
    static SharedLeaseCloseEvent start() {
        SharedLeaseCloseEvent event = new SharedLeaseCloseEvent();
        event.begin();
        return event;
    }

    /** The close of a lease of {@code cache} on a pixmap of {@code bytes} is done. */
    void end(Object cache, long bytes) {
        if (shouldCommit()) {
            this.cache = CacheId.of(cache);
            this.bytes = bytes;
            commit();
        }
    }
}
