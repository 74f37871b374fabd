package io.github.pixmapcache.server;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The server process's one setting of the C allocator: blocks of {@link #MAPPED_FROM} bytes and more
 * are mapped and unmapped by glibc, always. IIIF passes take strips, windows and pyramid levels of
 * many sizes from 256 KiB to 16 MiB, from JDK arenas and from the cache; glibc maps such blocks only
 * until the first is freed, then slides its threshold up to that size (up to 32 MiB) and serves the
 * later ones from its heaps, where the gaps they leave stay resident. bench/iiif-load, 90 s: native
 * memory grew 971 MiB for 640 MiB of budget and passes with glibc's defaults, still 936 MiB with the
 * threshold fixed at 8 MiB, and 465 MiB (flat after 10 s) at 256 KiB. Fixing the threshold is a
 * process-wide choice, so the application makes it, at start, not the library (whose own blocks of
 * 8 MiB and more are mapped by its allocator: native-layout.md, "Large blocks"). Below 256 KiB, tiles'
 * PNG bytes stay in glibc's heaps; a mapped metatile costs its page faults (about 1 ms a MiB here)
 * against a render of hundreds of milliseconds.
 */
final class MallocTuning {
    /** glibc's {@code M_MMAP_THRESHOLD} parameter of {@code mallopt}. */
    private static final int M_MMAP_THRESHOLD = -3;
    /** glibc maps every block of this size and more: strips, windows, levels and metatiles, not tiles' PNG bytes. */
    private static final int MAPPED_FROM = 256 << 10;

    private MallocTuning() {
    }

    /**
     * Sets glibc's mmap threshold to {@link #MAPPED_FROM}; {@return whether it was set} (false off
     * Linux, or under a C library without {@code mallopt}, such as musl, where there is nothing to fix).
     */
    static boolean mapLargeBlocks() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return false;
        }
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> mallopt = linker.defaultLookup().find("mallopt");
        if (mallopt.isEmpty()) {
            return false;
        }
        MethodHandle call = linker.downcallHandle(mallopt.get(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        try {
            return (int) call.invokeExact(M_MMAP_THRESHOLD, MAPPED_FROM) == 1;  // mallopt returns 1 on success
        } catch (Throwable t) {
            throw new AssertionError("mallopt downcall failed", t);
        }
    }
}
