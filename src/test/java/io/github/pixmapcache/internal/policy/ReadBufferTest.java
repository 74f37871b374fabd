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
 * a concurrent drain loses none, and a thread's consecutive reads of one element take one slot yet
 * come out once per kept read.
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
        assertEquals(ReadBuffer.FULL, buffer.note(-1, 1), "the ring is full");
        buffer.settle(1, ReadBuffer.FULL, false, true);
        assertEquals(1, buffer.hits(), "a refused hit is counted all the same");
        assertEquals(Offer.RECORDED, buffer.offer(99, VIRTUAL), "a shared stripe is not the ring");

        List<Integer> own = new ArrayList<>();
        buffer.drainRingOf(1, own::add);
        assertEquals(noted, own, "the owner drains its ring only");
        assertEquals(List.of(99), drain());
        assertTrue(buffer.note(0, 1) >= 0, "drained, the ring takes reads again");
    }

    /**
     * A thread reading one element over and over writes one note: the ring does not advance (it
     * still takes a whole ring of other reads), yet every hit counts and the drain hands the element
     * on once per kept read, in the order the reads came.
     */
    @Test
    void consecutiveReadsOfOneElementCoalesceIntoOneNoteThatCountsEveryRead() {
        int repeats = 1000;
        hitAndKeep(7, 4);
        for (int i = 0; i < repeats; i++) {
            long ticket = buffer.note(7, 4);
            assertEquals(ReadBuffer.REPEATED, ticket, "repeat " + i + " wrote a slot");
            buffer.settle(4, ticket, true, true);
        }
        List<Integer> others = new ArrayList<>();
        for (int read = 100; buffer.note(read, 4) >= 0; read++) {
            others.add(read);
        }

        assertEquals(63, others.size(), "the repeats took no slot: the ring holds the note and 63 others");
        assertEquals(1 + repeats, buffer.hits(), "every settled hit counts, repeated or not (the others were not settled)");
        List<Integer> drained = drain();
        assertEquals(1 + ReadBuffer.MAX_REPEATS, drained.stream().filter(read -> read == 7).count(),
                "the note and its repeats, up to the bound");
        assertEquals(others, drained.subList(1 + ReadBuffer.MAX_REPEATS, drained.size()), "then the others, in order");
    }

    @Test
    void aReadOfAnotherElementInBetweenIsRecordedAndEndsTheRun() {
        for (int read : new int[] {7, 7, 8, 7, 7, 7}) {
            hitAndKeep(read, 4);
        }

        assertEquals(List.of(7, 7, 8, 7, 7, 7), drain(), "every read, in order");
        assertEquals(6, buffer.hits());
        assertTrue(buffer.note(7, 4) >= 0, "after a drain the same element is noted afresh");
    }

    /**
     * A repeat whose protection then fails (the entry left) is counted as a hit if it was one, but
     * not as a read, exactly as a scrubbed note; and it never scrubs the earlier note, which its own
     * protection settled.
     */
    @Test
    void aRepeatThatIsNotKeptLeavesTheEarlierNoteAndAddsNoRead() {
        hitAndKeep(7, 4);
        long repeat = buffer.note(7, 4);
        assertEquals(ReadBuffer.REPEATED, repeat);
        buffer.settle(4, repeat, false, true);
        buffer.settle(4, buffer.note(7, 4), false, false);

        assertEquals(List.of(7), drain(), "the earlier note only");
        assertEquals(2, buffer.hits());
    }

    @Test
    void aScrubbedNoteIsNoRunToJoin() {
        buffer.settle(4, buffer.note(7, 4), false, true);

        long ticket = buffer.note(7, 4);
        assertTrue(ticket >= 0, "the slot holds no reference to repeat: a new note");
        buffer.settle(4, ticket, true, true);
        assertEquals(List.of(7), drain());
    }

    /**
     * One owner reading runs of one element, one concurrent drainer: a run's reads arrive in order,
     * never more than were kept; a drain racing a repeat may lose some of that run's repeats, never
     * a note; and the hits add up exactly.
     */
    @Test
    void withAConcurrentDrainerRunsLoseAtMostRepeatsAndHitsStayExact() throws InterruptedException {
        int runs = READS / 8;
        List<Integer> drained = drainWhile(() -> {
            for (int run = 0; run < runs; run++) {
                Integer element = run;  // one object: a run repeats the same element, not an equal one
                for (int read = 0; read < 8; read++) {
                    hitWhenRoom(element, 3, true);
                }
            }
        });

        int[] perRun = new int[runs];
        for (int i = 0; i < drained.size(); i++) {
            assertTrue(i == 0 || drained.get(i - 1) <= drained.get(i), "out of order at " + i);
            perRun[drained.get(i)]++;
        }
        for (int run = 0; run < runs; run++) {
            assertTrue(perRun[run] >= 1 && perRun[run] <= 8, "run " + run + " drained " + perRun[run] + " times");
        }
        assertEquals(runs * 8L, buffer.hits());
    }

    /** A hit on {@code element} by owned number {@code owner} that stays wanted. */
    private void hitAndKeep(int element, int owner) {
        buffer.settle(owner, buffer.note(element, owner), true, true);
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
        List<Integer> drained = drainWhile(() -> {
            for (int read = 0; read < READS; read++) {
                hitWhenRoom(read, 3, read % 2 == 0);
            }
        });

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
        List<Integer> drained = drainWhile(() -> {
            for (int i = 0; i < READS; i++) {
                offerUntilAccepted(i);
            }
        });

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

    /**
     * Runs {@code reader} on a platform thread while this thread drains; every read drained,
     * including a last drain after the reader ended.
     */
    private List<Integer> drainWhile(Runnable reader) throws InterruptedException {
        List<Integer> drained = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                reader.run();
            } finally {
                done.set(true);
            }
        });
        while (!done.get()) {
            drainOrYield(drained);
        }
        thread.join();
        buffer.drainTo(drained::add);
        return drained;
    }

    /** A hit on {@code element} in ring {@code owner}, noted once the ring has room, settled as {@code keep} says. */
    private void hitWhenRoom(Integer element, int owner, boolean keep) {
        long ticket;
        while ((ticket = buffer.note(element, owner)) == ReadBuffer.FULL) {
            Thread.yield();
        }
        buffer.settle(owner, ticket, keep, true);
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
