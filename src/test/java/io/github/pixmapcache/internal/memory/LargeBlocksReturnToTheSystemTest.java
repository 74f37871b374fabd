package io.github.pixmapcache.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The system allocator gives freed large blocks back to the system (MallocAllocator maps them),
 * instead of leaving them resident in glibc's heaps: several threads churn blocks of about 16 MiB
 * above MallocAllocator.MAPPED_FROM, as a cache of IIIF strips does (each keeps a few live, frees one at random when full), then all
 * but one block per thread are freed, and the process's resident memory must come down to little
 * more than what is still live. With plain aligned_alloc and free, glibc's sliding mmap threshold
 * serves every block after the first freed one from its heaps, and the freed gaps between the
 * blocks still live stay resident.
 */
class LargeBlocksReturnToTheSystemTest {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final int THREADS = 4;
    private static final int ROUNDS = 60;
    private static final int LIVE_PER_THREAD = 6;
    private static final long MIB = 1 << 20;
    private static final long PAGE = 4096;

    private final NativeAllocator system = NativeAllocator.system();

    @Test
    void freedLargeBlocksLeaveTheResidentSet() throws Exception {
        assumeTrue(NativeMemory.canMap() && Files.isReadable(STATUS), "Linux only: mapped blocks and /proc");
        long before = residentBytes();
        long kept = 0;
        List<long[]> survivors = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<long[]>> churns = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = t;
                churns.add(threads.submit(() -> churn(seed)));
            }
            for (Future<long[]> churn : churns) {
                long[] survivor = churn.get();
                survivors.add(survivor);
                kept += survivor[1];
            }
        } finally {
            threads.shutdown();
        }
        long after = residentBytes();
        for (long[] survivor : survivors) {
            assertEquals(7, MemorySegment.ofAddress(survivor[0]).reinterpret(survivor[1]).get(ValueLayout.JAVA_BYTE, 0));
            system.free(survivor[0], survivor[1]);
        }

        long grown = after - before;
        // Peak live: 4 threads x 6 blocks of up to 24 MiB, about 576 MiB; still live: 4 blocks, <= 96 MiB.
        assertTrue(MallocAllocator.MAPPED_FROM <= 8 * MIB, "the blocks here are all mapped");
        assertTrue(grown < kept + 64 * MIB, "resident memory grew by " + grown / MIB + " MiB with "
                + kept / MIB + " MiB of blocks still live (before " + before / MIB + " MiB, after " + after / MIB + " MiB)");
    }

    /** Churns large blocks, touching every page of each; frees all but the last; returns it as {address, bytes}. */
    private long[] churn(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<long[]> live = new ArrayList<>();
        long[] last = null;
        for (int round = 0; round < ROUNDS; round++) {
            if (live.size() == LIVE_PER_THREAD) {
                long[] victim = live.remove(random.nextInt(live.size()));
                system.free(victim[0], victim[1]);
            }
            long bytes = (9 + random.nextInt(16)) * MIB - random.nextInt(1, 4096) * 64L;  // 8.75 to 24 MiB, odd sizes
            long address = system.allocate(bytes);
            MemorySegment block = MemorySegment.ofAddress(address).reinterpret(bytes);
            for (long page = 0; page < bytes; page += PAGE) {
                block.set(ValueLayout.JAVA_BYTE, page, (byte) 7);  // resident, as a decoded strip is
            }
            last = new long[] {address, bytes};
            live.add(last);
        }
        for (long[] block : live) {
            if (block != last) {
                system.free(block[0], block[1]);
            }
        }
        return last;
    }

    /** VmRSS of this process. */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in " + STATUS);
    }
}
