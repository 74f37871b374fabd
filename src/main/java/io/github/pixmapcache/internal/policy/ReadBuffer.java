package io.github.pixmapcache.internal.policy;

import io.github.pixmapcache.internal.concurrent.ThreadState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Records reads without taking the policy lock, as Caffeine's read buffer does: readers append to
 * small rings, and whoever holds the policy lock drains them.
 *
 * <p><b>Owned rings</b>, one per platform thread (by its owned {@link ThreadState#index()}): the owner is the
 * only writer, so a read is a plain store of the element and a release store of the tail, no
 * CAS. The owner notes the read <em>before</em> the atomic that protects the entry ({@link #note}),
 * and {@linkplain #settle settles} it after: the protection's CAS is the fence that orders the
 * note before the owner's check that the entry is still cached, so a detaching drain
 * ({@link #drainAll}) either sees the note or the owner sees the entry gone and scrubs its slot.
 * A ring is found by the owned number, which a dead thread hands on to the next: rings are never
 * more than the platform threads alive at once, and what a dead thread left in its ring is
 * drained like any other read. Each owned ring also counts its owner's hits.
 *
 * <p><b>Repeated reads coalesce</b>: a note of the element that the ring's newest undrained note
 * already holds writes no reference ({@link #REPEATED}); {@link #settle} counts it beside that
 * note if its protection keeps it, and the drain hands the element on once per kept read (up to
 * {@value #MAX_REPEATS} repeats), so the policy sees the same reads in the same order (the
 * frequency sketch, the climber's hits). A thread that reads one entry over and over thus neither
 * fills its ring nor makes anyone drain it; its hits are counted all the same. A repeat never
 * touches the earlier note: that one was settled by its own protection, so a remove's
 * {@link #drainAll} takes it or its owner scrubbed it. A drain that takes the earlier note between
 * the repeat's check and its settle only loses the repeats it did not read, as a lossy buffer
 * drops reads; the next note in that slot resets the count.
 *
 * <p><b>Shared stripes</b>, for virtual threads: several stripes (chosen by
 * {@link ThreadState#index()}) claimed by CAS, whose tails count the reads they recorded.
 *
 * <p>Rings and stripes are padded apart, so that readers on different ones share no cache line. A
 * thread's own reads stay in order, so a single-threaded caller that drains before every eviction
 * sees exact LRU order. A shared stripe may drop a read (a lost CAS); a full ring refuses one, to be
 * applied under the lock; either only blurs recency, never correctness.
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
    /**
     * The most repeats one note counts; later ones are lost, as a lossy buffer loses reads. Every
     * repeat a drain applies is a read that happened, so a drain costs per read what a note would
     * have; this bounds one drain's work at 256 reads per slot.
     */
    static final int MAX_REPEATS = 255;
    /** What a claimed slot holds for a read that {@code wanted} refused: counted, but no reference. */
    private static final Object UNWANTED = new Object();

    /** The owned rings by owned number; grown (copied) under this buffer's monitor, never shrunk. */
    private volatile OwnedRing[] owned = new OwnedRing[0];
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

    /** {@link #note}'s ticket when the ring is full: nothing written; apply the read under the lock. */
    public static final long FULL = -1;
    /** {@link #note}'s ticket when the ring's newest undrained note is the same element: nothing written. */
    public static final long REPEATED = -2;

    /**
     * Step one of an owned read: writes {@code element} into the ring of the calling platform
     * thread, whose {@link ThreadState#index()} is {@code owner} (an owned number), with no CAS and no fence. The
     * caller then makes the atomic that protects the element (a full fence) and calls
     * {@link #settle}. A repeat of the ring's newest undrained note writes nothing (see the class
     * comment).
     *
     * @return the read's ticket for {@link #settle}: the slot written, or {@link #REPEATED} or
     *     {@link #FULL} (nothing was written)
     */
    public long note(E element, int owner) {
        OwnedRing ring = ownedRing(owner);
        long tail = (long) CURSOR.get(ring.cursors, OwnedRing.TAIL);  // written only by its owner
        long head = (long) CURSOR.getAcquire(ring.cursors, OwnedRing.HEAD);
        // Slot tail - 1 was last written by this thread (its note or scrub; a drainer writes only null),
        // so it holds the element only while that note is kept and, unless a drain is taking it now, undrained.
        if (tail != head && SLOT.get(ring.slots, (int) (tail - 1) & RING_MASK) == element) {
            return REPEATED;  // counted by settle, once the protection tells whether to keep it
        }
        if (tail - head >= RING_SIZE) {
            return FULL;
        }
        ring.repeats[(int) tail & RING_MASK] = 0;  // published with the tail, like the slot
        SLOT.set(ring.slots, (int) tail & RING_MASK, element);  // the drainer nulled it before it moved the head
        CURSOR.setRelease(ring.cursors, OwnedRing.TAIL, tail + 1);
        return tail;
    }

    /**
     * Step two of an owned read, after the protection's atomic: keeps the note if {@code keep}
     * (the read was a hit and the element is still wanted, checked after that atomic), else
     * scrubs its slot so that it references nothing; counts a repeat if {@code keep}, so that the
     * policy sees exactly the kept reads; counts a hit if {@code hit}.
     *
     * @param ticket what {@link #note} returned; {@link #FULL} or {@link #REPEATED} writes no slot
     *     (a repeat never scrubs the earlier note: its own protection settled that one)
     */
    public void settle(int owner, long ticket, boolean keep, boolean hit) {
        OwnedRing ring = owned[owner];
        if (ticket == REPEATED) {
            if (keep) {
                ring.repeat();
            }
        } else if (ticket >= 0 && !keep) {
            SLOT.setOpaque(ring.slots, (int) ticket & RING_MASK, UNWANTED);  // a drain may have taken it already: harmless
        }
        if (hit) {
            CURSOR.setRelease(ring.cursors, OwnedRing.HITS, (long) CURSOR.get(ring.cursors, OwnedRing.HITS) + 1);
        }
    }

    /** The ring of owned number {@code owner}, made on its first read. */
    private OwnedRing ownedRing(int owner) {
        OwnedRing[] rings = owned;
        OwnedRing ring;
        if (owner < rings.length && (ring = rings[owner]) != null) {
            return ring;
        }
        return addRing(owner);
    }

    private synchronized OwnedRing addRing(int owner) {
        OwnedRing[] rings = owned;
        if (owner >= rings.length) {
            rings = Arrays.copyOf(rings, Math.max(owner + 1, 2 * rings.length));
        } else if (rings[owner] != null) {
            return rings[owner];
        } else {
            rings = rings.clone();
        }
        OwnedRing ring = new OwnedRing();
        rings[owner] = ring;
        owned = rings;
        return ring;
    }

    /** {@return how many owned rings exist: at most the platform threads that ever read at once} */
    public int ownedRings() {
        int count = 0;
        for (OwnedRing ring : owned) {
            count += ring == null ? 0 : 1;
        }
        return count;
    }

    /**
     * Records a read of {@code element} in a shared stripe, for a virtual thread whose
     * {@link ThreadState#index()} is {@code thread}: after the element's protection, with a CAS.
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
     * The hits counted here, exactly: those {@link #settle} counted per owned ring, plus the reads
     * {@link #offer} recorded in shared stripes (their tails, which only grow). A cache counts its
     * hits with it, so that a hit costs no shared write beyond its protection.
     */
    public long hits() {
        long hits = 0;
        for (int ring = 1; ring <= ringMask + 1; ring++) {
            hits += (long) CURSOR.getVolatile(cursors, ring * CURSOR_STRIDE + TAIL);
        }
        for (OwnedRing ring : owned) {
            hits += ring == null ? 0 : (long) CURSOR.getAcquire(ring.cursors, OwnedRing.HITS);
        }
        return hits;
    }

    /** Hands every recorded read to {@code consumer}, ring by ring; one drainer at a time. */
    public void drainTo(Consumer<? super E> consumer) {
        for (int ring = 1; ring <= ringMask + 1; ring++) {
            drainRing(ring, consumer, false);
        }
        drainOwned(consumer);
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
        drainOwned(consumer);  // a note is published before its owner's fence: nothing to wait for
    }

    /**
     * Hands the reads recorded by the calling thread's ring (its {@link ThreadState#index()} is
     * {@code thread}: its owned ring, or its shared stripe) to {@code consumer}; one drainer at a
     * time. A reader whose ring is full drains only its own, so that it does not pull other
     * readers' lines to its core.
     */
    public void drainRingOf(int thread, Consumer<? super E> consumer) {
        if (ThreadState.isOwned(thread)) {
            drainOwned(ownedRing(thread), consumer);
        } else {
            drainRing((thread & ringMask) + 1, consumer, false);
        }
    }

    private void drainOwned(Consumer<? super E> consumer) {
        for (OwnedRing ring : owned) {
            if (ring != null) {
                drainOwned(ring, consumer);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void drainOwned(OwnedRing ring, Consumer<? super E> consumer) {
        long head = (long) CURSOR.getOpaque(ring.cursors, OwnedRing.HEAD);  // written only by drainers, one at a time
        long tail = (long) CURSOR.getAcquire(ring.cursors, OwnedRing.TAIL);  // and with it, the slots written before
        if (head == tail) {
            return;
        }
        for (; head < tail; head++) {
            int index = (int) head & RING_MASK;
            Object element = SLOT.getAcquire(ring.slots, index);
            SLOT.setOpaque(ring.slots, index, null);
            if (element != UNWANTED) {  // never null: the note wrote it before the tail
                for (int reads = ring.repeats[index]; reads >= 0; reads--) {  // the note and its repeats
                    consumer.accept((E) element);
                }
            }
        }
        CURSOR.setRelease(ring.cursors, OwnedRing.HEAD, head);
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

    /** One platform thread's ring: written by its owner only, drained under the policy lock. */
    private static final class OwnedRing {
        /** Head (next to drain; the drainer's), 128 bytes from the array header and from the tail. */
        static final int HEAD = 16;
        /** Tail (next to write) and hits: the owner's line. */
        static final int TAIL = 32;
        static final int HITS = TAIL + 1;

        final Object[] slots = new Object[RING_SIZE];
        /** Per slot, the kept reads of its element since noted as {@link ReadBuffer#REPEATED}; the owner's. */
        final int[] repeats = new int[RING_SIZE];
        final long[] cursors = new long[HITS + 16];

        /**
         * Counts one more read of the newest note, slot tail - 1: the owner wrote nothing since its
         * {@link ReadBuffer#note}. Plain: a drain that read the count meanwhile misses this one, and
         * if it took the note already, the next note in that slot resets the count.
         */
        void repeat() {
            int last = (int) ((long) CURSOR.get(cursors, TAIL) - 1) & RING_MASK;
            int count = repeats[last];
            if (count < MAX_REPEATS) {
                repeats[last] = count + 1;
            }
        }
    }
}
