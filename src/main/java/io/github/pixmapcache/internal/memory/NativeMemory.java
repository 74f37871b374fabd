package io.github.pixmapcache.internal.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.function.Consumer;

/**
 * Every restricted FFM call of the library, kept in one class so that it can be audited: two
 * downcalls into the C allocator, {@code mmap} and {@code munmap} on Linux, and the
 * {@code reinterpret} calls that turn an address into a segment. Nothing else in the library needs
 * {@code --enable-native-access}.
 */
public final class NativeMemory {
    private static final MethodHandle ALIGNED_ALLOC;
    private static final MethodHandle FREE;
    /** Null where the system is not Linux (its mmap flags differ): large blocks then come from malloc too. */
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    /**
     * Linux's MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, the same on every architecture the JDK runs
     * on: every page is written anyway (a copy or a clear), and one populating call is cheaper than a
     * fault per page (3.7 against 5.0 ms for 4 MiB, in a VM).
     */
    private static final int MAP_PRIVATE_ANONYMOUS_POPULATE = 0x02 | 0x20 | 0x8000;
    private static final long MAP_FAILED = -1;

    static {
        Linker linker = Linker.nativeLinker();
        // Neither function blocks or calls back into Java, so the cheap critical calling convention fits.
        Linker.Option critical = Linker.Option.critical(false);
        ALIGNED_ALLOC = linker.downcallHandle(
                linker.defaultLookup().find("aligned_alloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                critical);
        FREE = linker.downcallHandle(
                linker.defaultLookup().find("free").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS),
                critical);
        boolean linux = System.getProperty("os.name", "").startsWith("Linux");
        // Not critical: unmapping many touched pages takes long enough to hold up a safepoint.
        MMAP = linux ? linker.downcallHandle(
                linker.defaultLookup().find("mmap").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG)) : null;
        MUNMAP = linux ? linker.downcallHandle(
                linker.defaultLookup().find("munmap").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG)) : null;
    }

    /**
     * All of memory, read-only and without a lifetime: sliced and rescoped for views, and read
     * through by the accessors of a lease that checked the lease themselves; never handed out.
     */
    private static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE).asReadOnly();

    private NativeMemory() {}

    /**
     * A view of {@code byteSize} bytes at {@code address} that lives exactly as long as
     * {@code scope}: once the arena closes, every access through the view, its slices and its
     * buffers throws {@link IllegalStateException}, whatever happens to the memory afterwards.
     */
    public static MemorySegment view(long address, long byteSize, Arena scope) {
        return MemorySegment.ofAddress(address).reinterpret(byteSize, scope, null);
    }

    /**
     * All of memory, read-only, with no lifetime and no bounds but the address space: for the
     * library's own pixel accessors on a lease that has no view yet. The caller must have checked,
     * on the thread that reads, that the lease is open and confined to that thread (so the block
     * cannot be freed during the read), must bound every offset by the block itself, and must keep
     * the lease reachable until the read is done. It never reaches a user.
     */
    public static MemorySegment everything() {
        return EVERYTHING;
    }

    /**
     * {@return a read-only segment of the {@code byteSize} bytes at {@code address}, with no
     * lifetime}: the base of a block that {@link #rescoped} turns into views, never itself handed out.
     */
    public static MemorySegment readOnlyBlock(long address, long byteSize) {
        return EVERYTHING.asSlice(address, byteSize);
    }

    /**
     * {@return a view of {@code base} that lives exactly as long as {@code scope}}, as
     * {@link #view(long, long, Arena)} but read-only, in one segment; {@code onClose}, if not null,
     * runs when the arena closes.
     */
    public static MemorySegment rescoped(MemorySegment base, Arena scope, Consumer<MemorySegment> onClose) {
        return base.reinterpret(scope, onClose);
    }

    /** Copies {@code byteSize} bytes of {@code source} from {@code offset} into the cache-owned block at {@code address}. */
    public static void copy(MemorySegment source, long offset, long byteSize, long address) {
        MemorySegment.copy(source, offset, unscoped(address, byteSize), 0, byteSize);
    }

    /** Zeroes {@code byteSize} bytes of the cache-owned block at {@code address}. */
    public static void clear(long address, long byteSize) {
        unscoped(address, byteSize).fill((byte) 0);
    }

    /** A segment without a lifetime: it never leaves this class. */
    private static MemorySegment unscoped(long address, long byteSize) {
        return MemorySegment.ofAddress(address).reinterpret(byteSize);
    }

    static long alignedAlloc(long alignment, long byteSize) {
        try {
            return ((MemorySegment) ALIGNED_ALLOC.invokeExact(alignment, byteSize)).address();
        } catch (Throwable t) {
            throw new AssertionError("aligned_alloc downcall failed", t);
        }
    }

    /** Whether {@link #map} can be had here (Linux). */
    static boolean canMap() {
        return MMAP != null;
    }

    /** {@return the address of {@code byteSize} fresh bytes mapped for this process alone, page-aligned; 0 if the system refused} */
    static long map(long byteSize) {
        try {
            long address = ((MemorySegment) MMAP.invokeExact(MemorySegment.NULL, byteSize, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS_POPULATE, -1, 0L)).address();
            return address == MAP_FAILED ? 0 : address;
        } catch (Throwable t) {
            throw new AssertionError("mmap downcall failed", t);
        }
    }

    /** Gives the {@code byteSize} bytes {@link #map} returned at {@code address} back to the system. */
    static void unmap(long address, long byteSize) {
        int result;
        try {
            result = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), byteSize);
        } catch (Throwable t) {
            throw new AssertionError("munmap downcall failed", t);
        }
        if (result != 0) {  // EINVAL: an address that is not page-aligned, so never a block of map
            throw new AssertionError("munmap of " + byteSize + " bytes at " + address + " failed");
        }
    }

    static void free(long address) {
        try {
            FREE.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw new AssertionError("free downcall failed", t);
        }
    }
}
