package io.github.pixmapcache.bench;

/**
 * The JVM options of every benchmark fork, for {@code @Fork(jvmArgsAppend = ...)}: native access
 * for our cache (and OHC's JNA), {@code sun.misc.Unsafe} for OHC, and a fixed 2 GiB heap that holds
 * the heap peers' largest data set (512 MiB) with room to spare.
 */
final class ForkArgs {
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    static final String UNSAFE = "--sun-misc-unsafe-memory-access=allow";
    static final String MIN_HEAP = "-Xms2g";
    static final String MAX_HEAP = "-Xmx2g";

    private ForkArgs() {}
}
