package io.github.pixmapcache.internal.policy;

import io.github.pixmapcache.internal.concurrent.ThreadState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Records reads without taking the policy lock, as Caffeine's read buffer does: readers append to
 * one of several small rings (chosen by {@link ThreadState}), and whoever holds the policy lock
 * drains them. Rings are padded apart, so that readers on different rings share no cache line.
 *
 * <p>The rings' tails count every recorded read, so a cache counts its hits here as well: one CAS
 * per hit records the read and counts it.
 *
 * <p>A thread's own reads stay in order, since one thread always lands in the same ring, so a
 * single-threaded caller that drains before every eviction sees exact LRU order. Under contention
 * a read may be dropped (a lost CAS or a full ring whose drain is already under way); that only
 * blurs recency, never correctness.
 */
public final class ReadBuffer<E> {
    /**
     * Reads per ring, a power of two. A full ring is drained under the lock, and each drain moves
     * the lock's line and the policy's lines to the draining core: 64 reads per drain, rather than
     * Caffeine's 16, make that a quarter as often.
     */
    private static final int RING_SIZE = 64;
    private static final int RING_MASK = RING_SIZE - 1;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle CURSOR = MethodHandles.arrayElementVarHandle(long[].class);
    /** Array elements from one ring's slots to the next: the ring and 32 references (128 bytes, compressed oops) of padding. */
    private static final int SLOT_STRIDE = RING_SIZE + 32;
    /** Array elements from one ring's cursors to the next: 16 longs, 128 bytes. */
    private static final int CURSOR_STRIDE = 16;
    private static final int HEAD = 0;
    private static final int TAIL = 1;
    /** Yields of a drainer waiting for a claimed slot to be written before it gives up: milliseconds. */
    private static final int AWAIT_YIELDS = 1 << 12;
    /** What a claimed slot holds for a read that {@code wanted} refused: counted, but no reference. */
    private static final Object UNWANTED = new Object();

    /** Ring r's slots: [(r + 1) * SLOT_STRIDE, + RING_SIZE); the first stride keeps off the array header. */
    private final Object[] slots;
    /** Ring r's head (next to drain; written by the drainer) and tail (next to claim; by CAS) at (r + 1) * CURSOR_STRIDE. */
    private final long[] cursors;
    private final int ringMask;
    /** Whether a read is still worth keeping; checked after the slot is claimed. */
    private final Predicate<? super E> wanted;

    /**
     * {@code wanted} tells whether a read is worth keeping, checked after the read's slot is claimed
     * (e.g. whether the entry is still cached): a read it refuses is counted but keeps no reference.
     */
    public ReadBuffer(Predicate<? super E> wanted) {
        this.wanted = wanted;
        int rings = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4 - 1) << 1;
        this.slots = new Object[(rings + 1) * SLOT_STRIDE];
        this.cursors = new long[(rings + 1) * CURSOR_STRIDE];
        this.ringMask = rings - 1;
    }

    /** What {@link #offer} did with a read. */
    public enum Offer {
        /** In the ring, and counted by {@link #recorded()}. */
        RECORDED,
        /** Dropped: another reader of the same ring won the slot. */
        DROPPED,
        /** Refused: the thread's ring is full; drain it, then apply the read directly. */
        FULL
    }

    /**
     * Records a read of {@code element} by the calling thread, whose {@link ThreadState#index()}
     * is {@code thread}.
     */
    public Offer offer(E element, int thread) {
        int ring = (thread & ringMask) + 1;
        int cursor = ring * CURSOR_STRIDE;
        long tail = (long) CURSOR.getVolatile(cursors, cursor + TAIL);
        if (tail - (long) CURSOR.getVolatile(cursors, cursor + HEAD) >= RING_SIZE) {
            return Offer.FULL;
        }
        if (!CURSOR.compareAndSet(cursors, cursor + TAIL, tail, tail + 1)) {
            return Offer.DROPPED;
        }
        // Checked after the claim's fence: a drain after the element's removal either sees the
        // claimed tail (and waits for this slot, see drainAll) or this check sees the removal.
        SLOT.setRelease(slots, ring * SLOT_STRIDE + ((int) tail & RING_MASK), wanted.test(element) ? element : UNWANTED);
        return Offer.RECORDED;
    }

    /**
     * How many reads {@link #offer} ever recorded, drained or not: the sum of the rings' tails, which
     * only grow. A cache counts its hits with it, so that a hit costs the ring's CAS and no other.
     */
    public long recorded() {
        long recorded = 0;
        for (int ring = 1; ring <= ringMask + 1; ring++) {
            recorded += (long) CURSOR.getVolatile(cursors, ring * CURSOR_STRIDE + TAIL);
        }
        return recorded;
    }

    /** Hands every recorded read to {@code consumer}, ring by ring; one drainer at a time. */
    public void drainTo(Consumer<? super E> consumer) {
        for (int ring = 1; ring <= ringMask + 1; ring++) {
            drainRing(ring, consumer, false);
        }
    }

    /**
     * As {@link #drainTo}, after elements were made unwanted: also waits for every slot claimed
     * but not yet written (a reader between its claim and its store, a few instructions; bounded
     * at milliseconds), so that no reader can leave behind a reference to an element that was
     * unwanted before this call.
     * The caller must make the elements unwanted with a volatile write before it calls this.
     */
    public void drainAll(Consumer<? super E> consumer) {
        VarHandle.fullFence();  // the unwanting writes before the tails' reads: the Dekker pair of offer's
        for (int ring = 1; ring <= ringMask + 1; ring++) {
            drainRing(ring, consumer, true);
        }
    }

    /**
     * Hands the reads recorded by the calling thread's ring (its {@link ThreadState#index()} is
     * {@code thread}) to {@code consumer}; one drainer at a time. A reader whose ring is full drains
     * only its own, so that it does not pull other readers' lines to its core.
     */
    public void drainRingOf(int thread, Consumer<? super E> consumer) {
        drainRing((thread & ringMask) + 1, consumer, false);
    }

    @SuppressWarnings("unchecked")
    private void drainRing(int ring, Consumer<? super E> consumer, boolean awaitClaimed) {
        int cursor = ring * CURSOR_STRIDE;
        long head = (long) CURSOR.getOpaque(cursors, cursor + HEAD);  // written only by drainers, one at a time
        long tail = (long) CURSOR.getVolatile(cursors, cursor + TAIL);
        if (head == tail) {
            return;
        }
        for (; head < tail; head++) {
            int index = ring * SLOT_STRIDE + ((int) head & RING_MASK);
            Object element = SLOT.getAcquire(slots, index);
            if (element == null && awaitClaimed) {
                element = awaitWritten(index);
            }
            if (element == null) {
                break;  // claimed but not yet written: pick it up next time
            }
            SLOT.setOpaque(slots, index, null);
            if (element != UNWANTED) {
                consumer.accept((E) element);
            }
        }
        CURSOR.setRelease(cursors, cursor + HEAD, head);
    }

    /**
     * The element a reader is about to store at {@code index}: it claimed the slot a few
     * instructions ago, unless it was descheduled meanwhile. Gives up (null) after
     * {@value #AWAIT_YIELDS} yields, so that a reader that died between claim and store (a
     * StackOverflowError) cannot stall the drainer for ever.
     */
    private Object awaitWritten(int index) {
        Object element = SLOT.getAcquire(slots, index);
        for (int spins = 1; element == null && spins < AWAIT_YIELDS * 64; spins++) {
            if (spins % 64 == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
            element = SLOT.getAcquire(slots, index);
        }
        return element;
    }
}
