package io.github.pixmapcache.internal.jfr;

import java.io.PrintWriter;
import java.io.StringWriter;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A lease that became unreachable without {@code close()}, reported by the leak detector. */
@Name("io.github.pixmapcache.LeakedLease")
@Label("Leaked Pixmap Lease")
@Category("Pixmap Cache")
@Description("A lease was dropped without close(); the leak detector released its pin")
@StackTrace(false)  // the reporting thread is the cleaner's; the stack that matters is a field
public final class LeakedLeaseEvent extends Event {
    @Label("Lease")
    @Description("What the lease pinned")
    String lease;

    @Label("Acquired At")
    @Description("The thread that acquired the lease, and its stack at leak detection level all")
    String acquiredAt;

    /** Records that the lease on {@code pinned}, acquired at {@code acquisition}, leaked. */
    static void record(Object pinned, Throwable acquisition) {
        LeakedLeaseEvent event = new LeakedLeaseEvent();
        if (event.shouldCommit()) {
            event.lease = String.valueOf(pinned);
            event.acquiredAt = stackOf(acquisition);
            event.commit();
        }
    }

    private static String stackOf(Throwable acquisition) {
        StringWriter text = new StringWriter();
        acquisition.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
