package io.github.pixmapcache.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.internal.policy.ReadBuffer.Offer;
import io.github.pixmapcache.internal.concurrent.ThreadState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The read buffer on its own. Shared stripes (virtual threads, negative numbers): one thread's reads
 * come out once and in order, a full stripe refuses until drained, a thread can drain its own stripe
 * alone, and under concurrency a read may be dropped but never duplicated or invented. Owned rings
 * (platform threads): a noted read comes out unless settled as unwanted, hits are counted exactly,
 * and a concurrent drain loses none.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)  // a guard against hangs only
class ReadBufferTest {
    private static final int READS = 200_000;

    /** Shared-stripe numbers, as virtual threads have: negative. */
    private static final int VIRTUAL = Integer.MIN_VALUE;

    private final ReadBuffer<Integer> buffer = new ReadBuffer<>(read -> true);

    @Test
    void anOwnedRingsKeptNotesComeOutInOrderAndScrubbedOnesNever() {
        for (int read = 0; read < 10; read++) {
            long ticket = buffer.note(read, 2);
            buffer.settle(2, ticket, read % 3 != 0, true);
        }

        assertEquals(List.of(1, 2, 4, 5, 7, 8), drain(), "reads 0, 3, 6 and 9 were settled as unwanted");
        assertEquals(10, buffer.hits(), "every settled hit counts, kept or not");
        assertEquals(List.of(), drain());
    }

    @Test
    void aNoteThatIsNoHitIsScrubbedAndNotCounted() {
        buffer.settle(0, buffer.note(7, 0), false, false);

        assertEquals(List.of(), drain());
        assertEquals(0, buffer.hits());
    }

    @Test
    void aFullOwnedRingRefusesUntilItsOwnerDrainsIt() {
        List<Integer> noted = new ArrayList<>();
        for (int read = 0; buffer.note(read, 1) >= 0; read++) {
            noted.add(read);
        }
        assertEquals(-1, buffer.note(-1, 1), "the ring is full");
        buffer.settle(1, -1, false, true);
        assertEquals(1, buffer.hits(), "a refused hit is counted all the same");
        assertEquals(Offer.RECORDED, buffer.offer(99, VIRTUAL), "a shared stripe is not the ring");

        List<Integer> own = new ArrayList<>();
        buffer.drainRingOf(1, own::add);
        assertEquals(noted, own, "the owner drains its ring only");
        assertEquals(List.of(99), drain());
        assertTrue(buffer.note(0, 1) >= 0, "drained, the ring takes reads again");
    }

    @Test
    void ringsAreMadeForOwnedNumbersOnly() {
        buffer.note(0, 5);
        buffer.offer(1, VIRTUAL | 5);

        assertEquals(1, buffer.ownedRings());
    }

    /**
     * One owner, one concurrent drainer: every kept note arrives once and in order, and the hits add
     * up. A note its owner scrubs may still arrive, once, when the drainer took it before the scrub.
     */
    @Test
    void withAConcurrentDrainerEveryKeptNoteArrivesOnceInOrder() throws InterruptedException {
        List<Integer> drained = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread owner = Thread.ofPlatform().start(() -> {
            for (int read = 0; read < READS; ) {
                long ticket = buffer.note(read, 3);
                if (ticket < 0) {
                    Thread.yield();
                    continue;
                }
                buffer.settle(3, ticket, read % 2 == 0, true);
                read++;
            }
            done.set(true);
        });

        while (!done.get()) {
            drainOrYield(drained);
        }
        owner.join();
        buffer.drainTo(drained::add);

        for (int i = 1; i < drained.size(); i++) {
            assertTrue(drained.get(i - 1) < drained.get(i), "in order and never twice, at " + i + ": " + drained.get(i));
        }
        assertEquals(READS / 2, drained.stream().filter(read -> read % 2 == 0).count(), "every kept read arrives");
        assertEquals(READS, buffer.hits());
    }

    @Test
    void aThreadsReadsComeOutInOrderAndOnlyOnce() {
        List<Integer> offered = fillOwnRing(0);

        assertEquals(offered, drain());
        assertEquals(List.of(), drain(), "a second drain finds nothing");
    }

    @Test
    void aFullRingRefusesUntilItIsDrained() {
        List<Integer> offered = fillOwnRing(0);
        assertFalse(offered.isEmpty());
        assertEquals(Offer.FULL, buffer.offer(-1, VIRTUAL), "the ring is full");

        assertEquals(offered, drain(), "the refused read was not recorded");
        assertEquals(offered.size(), fillOwnRing(offered.size()).size(), "drained, the ring takes as many again");
    }

    @Test
    void aRingDrainTakesOnlyThatThreadsReadsAndLeavesTheOthersForAFullDrain() {
        assertEquals(Offer.RECORDED, buffer.offer(10, VIRTUAL));
        assertEquals(Offer.RECORDED, buffer.offer(11, VIRTUAL | 1));
        assertEquals(Offer.RECORDED, buffer.offer(12, VIRTUAL));

        List<Integer> ownRing = new ArrayList<>();
        buffer.drainRingOf(VIRTUAL, ownRing::add);
        assertEquals(List.of(10, 12), ownRing, "thread 0's ring only");
        buffer.drainRingOf(VIRTUAL, ownRing::add);
        assertEquals(List.of(10, 12), ownRing, "a drained ring gives nothing twice");
        assertEquals(List.of(11), drain(), "a full drain still finds thread 1's read");
    }

    @Test
    void recordedCountsEveryRecordedReadDrainedOrNotAndNoRefusedOne() {
        List<Integer> offered = fillOwnRing(0);
        assertEquals(Offer.FULL, buffer.offer(-1, VIRTUAL));
        assertEquals(offered.size(), buffer.hits(), "the refused read is not counted");

        drain();
        assertEquals(Offer.RECORDED, buffer.offer(99, VIRTUAL | 3));
        assertEquals(offered.size() + 1, buffer.hits(), "drained reads stay counted");
    }

    /** A ring with one writer never loses a CAS: every accepted read must arrive, in order, though drains overlap. */
    @Test
    void withOneReaderAndAConcurrentDrainerEveryAcceptedReadArrivesOnceInOrder() throws InterruptedException {
        List<Integer> drained = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < READS; i++) {
                offerUntilAccepted(i);
            }
            done.set(true);
        });

        while (!done.get()) {
            drainOrYield(drained);
        }
        reader.join();
        buffer.drainTo(drained::add);

        assertEquals(READS, drained.size());
        for (int i = 0; i < READS; i++) {
            assertEquals(i, drained.get(i), "read number " + i);
        }
    }

    /** Threads sharing a ring may lose reads to each other, but a read arrives at most once, each thread's in order. */
    @Test
    void withManyReadersNoReadIsDuplicatedOrInventedAndEachThreadsStayInOrder() throws InterruptedException {
        int threads = 4;
        int readsPerThread = READS / threads;
        List<Integer> drained = new ArrayList<>();
        AtomicBoolean[] done =
                IntStream.range(0, threads).mapToObj(t -> new AtomicBoolean()).toArray(AtomicBoolean[]::new);
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            readers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < readsPerThread; i++) {
                    offerUntilAccepted(thread * readsPerThread + i);
                }
                done[thread].set(true);
            }));
        }

        while (!allSet(done)) {
            drainOrYield(drained);
        }
        for (Thread reader : readers) {
            reader.join();
        }
        buffer.drainTo(drained::add);

        Set<Integer> seen = new HashSet<>();
        int[] last = new int[threads];
        Arrays.fill(last, -1);
        for (int read : drained) {
            assertTrue(read >= 0 && read < threads * readsPerThread, "a read nobody offered: " + read);
            assertTrue(seen.add(read), "read " + read + " drained twice");
            int thread = read / readsPerThread;
            assertTrue(read % readsPerThread > last[thread], "thread " + thread + "'s reads out of order at " + read);
            last[thread] = read % readsPerThread;
        }
        assertTrue(drained.size() >= readsPerThread, drained.size() + " reads drained: fewer than one thread's alone");
    }

    /** Offers {@code first}, {@code first + 1}, ... from this thread until its ring refuses; the accepted ones. */
    private List<Integer> fillOwnRing(int first) {
        List<Integer> offered = new ArrayList<>();
        for (int i = first; buffer.offer(i, VIRTUAL) == Offer.RECORDED; i++) {
            offered.add(i);
        }
        return offered;
    }

    private List<Integer> drain() {
        List<Integer> drained = new ArrayList<>();
        buffer.drainTo(drained::add);
        return drained;
    }

    /** Offers until the ring takes the read: spins while the drainer works, yields now and then to let it run. */
    private void offerUntilAccepted(int read) {
        for (int spins = 1; buffer.offer(read, VIRTUAL | ThreadState.current().index()) == Offer.FULL; spins++) {
            if (spins % 64 == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Drains into {@code drained}; yields when there was nothing, for machines with fewer cores than threads. */
    private void drainOrYield(List<Integer> drained) {
        int before = drained.size();
        buffer.drainTo(drained::add);
        if (drained.size() == before) {
            Thread.yield();
        }
    }

    private static boolean allSet(AtomicBoolean[] flags) {
        for (AtomicBoolean flag : flags) {
            if (!flag.get()) {
                return false;
            }
        }
        return true;
    }
}
