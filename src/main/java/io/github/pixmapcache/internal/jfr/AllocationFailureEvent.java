package io.github.pixmapcache.internal.jfr;

import java.lang.reflect.Modifier;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A native allocation the cache could not have; the call throws {@code PixmapAllocationException}. */
@Name("io.github.pixmapcache.AllocationFailure")
@Label("Pixmap Allocation Failure")
@Category("Pixmap Cache")
@Description("Native memory for pixels or the key table could not be had")
public final class AllocationFailureEvent extends Event {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final String API_PACKAGE = "io.github.pixmapcache";

    @Label("Cache")
    String cache;

    @Label("Requested Bytes")
    @DataAmount(DataAmount.BYTES)
    long requestedBytes;

    @Label("Site")
    @Description("The public method that allocated, and what for, e.g. \"PixmapCache.insert: pixels\"")
    String site;

    /** Records that {@code requestedBytes} for {@code what} ("pixels", "key table") could not be had. */
    static void record(Object cache, long requestedBytes, String what) {
        AllocationFailureEvent event = new AllocationFailureEvent();
        if (event.shouldCommit()) {
            event.cache = CacheId.of(cache);
            event.requestedBytes = requestedBytes;
            event.site = publicCaller() + ": " + what;
            event.commit();
        }
    }

    /** The innermost public method of the API package on the stack: the caller's entry into the cache. */
    private static String publicCaller() {
        return WALKER.walk(frames -> frames
                .filter(frame -> frame.getDeclaringClass().getPackageName().equals(API_PACKAGE)
                        && isPublic(frame))
                .findFirst()
                .map(frame -> apiName(frame.getDeclaringClass()) + "." + frame.getMethodName())
                .orElse("?"));
    }

    private static boolean isPublic(StackWalker.StackFrame frame) {
        try {
            return Modifier.isPublic(frame.getDeclaringClass()
                    .getDeclaredMethod(frame.getMethodName(), frame.getMethodType().parameterArray())
                    .getModifiers());
        } catch (NoSuchMethodException e) {  // a constructor or a synthetic frame
            return false;
        }
    }

    /** The public type a caller sees: a loader's allocator is a {@code PixmapAllocator}. */
    private static String apiName(Class<?> type) {
        if (Modifier.isPublic(type.getModifiers())) {
            return type.getSimpleName();
        }
        for (Class<?> api : type.getInterfaces()) {
            if (Modifier.isPublic(api.getModifiers())) {
                return api.getSimpleName();
            }
        }
        return type.getSimpleName();
    }
}
