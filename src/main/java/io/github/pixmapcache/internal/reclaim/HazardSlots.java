package io.github.pixmapcache.internal.reclaim;

import io.github.pixmapcache.internal.concurrent.ThreadState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Where readers announce the objects they are reading, so that whoever would free one can see that
 * it is still in use: hazard pointers (Michael, 2004), striped by {@link ThreadState} so that a
 * reader writes only a cache line of its own.
 *
 * <p>A reader {@linkplain #claim claims} a free slot of its stripe by CAS (a full fence), then checks
 * that the object is still live; a reclaimer retires the object (a CAS) and then
 * {@linkplain #protects scans} every slot with volatile reads. Sequential consistency between
 * those four accesses means that at least one side sees the other: either the reader sees the
 * retirement and backs off, or the scan sees the slot. {@link #clear} is a release store: it orders
 * the reader's reads of the object before it, but a scan racing with it may still see the slot,
 * and then leaves the object to a later scan (see {@link Reclaimer}). That is standard hazard
 * pointers: the find path's only StoreLoad is the claim.
 *
 * <p>A stripe has {@value #SLOTS_PER_STRIPE} slots: the protections one thread (or the threads
 * sharing its stripe) can hold at once; beyond them {@link #claim} fails and the caller falls back
 * to a reference count. Any thread may clear a slot (a leak detector does), but only the claimant
 * of a slot does, once.
 */
final class HazardSlots {
    /** Slots per stripe: a thread's leases held at once before they fall back to a counted pin. */
    static final int SLOTS_PER_STRIPE = 8;
    /**
     * Array elements from one stripe to the next: 32 references are 128 bytes with compressed oops
     * (256 without), two cache lines, so that neither a shared line nor the adjacent-line
     * prefetcher couples two stripes. Stripe 0 starts one stride in, away from the array header.
     */
    private static final int STRIDE = 32;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    private final Object[] slots;
    private final int stripeMask;

    /** Two stripes per processor, rounded up to a power of two. */
    HazardSlots() {
        this(Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4 - 1));
    }

    /** {@code stripes} must be a power of two. */
    HazardSlots(int stripes) {
        this.slots = new Object[(stripes + 1) * STRIDE];
        this.stripeMask = stripes - 1;
    }

    /**
     * Announces that the calling thread, number {@code thread} ({@link ThreadState#index()}),
     * reads {@code object}; the caller must then check that it is still live, and {@link #clear}
     * the slot when done (or at once, if it was not live).
     *
     * @return the slot, or -1 if every slot of the thread's stripe is taken
     */
    int claim(Object object, int thread) {
        int first = ((thread & stripeMask) + 1) * STRIDE;
        for (int slot = first; slot < first + SLOTS_PER_STRIPE; slot++) {
            if (SLOT.getOpaque(slots, slot) == null && SLOT.compareAndSet(slots, slot, null, object)) {
                return slot;
            }
        }
        return -1;
    }

    /** The object the caller announced in {@code slot}; only its claimant may ask. */
    Object at(int slot) {
        return slots[slot];
    }

    /**
     * Withdraws the announcement in {@code slot}: a release store, so that the reads of the object
     * before it happen before any free that sees it; no fence, so a later load may pass it.
     */
    void clear(int slot) {
        SLOT.setRelease(slots, slot, null);
    }

    /** Whether any slot announces {@code object}; volatile reads, ordered after what came before. */
    boolean protects(Object object) {
        return slotOf(object) >= 0;
    }

    /** The first slot that announces {@code object}, or -1; volatile reads, ordered after what came before. */
    int slotOf(Object object) {
        for (int first = STRIDE; first < slots.length; first += STRIDE) {
            for (int slot = first; slot < first + SLOTS_PER_STRIPE; slot++) {
                if (SLOT.getVolatile(slots, slot) == object) {
                    return slot;
                }
            }
        }
        return -1;
    }

    /** Whether {@code slot} still announces {@code object}; a volatile read. */
    boolean announces(int slot, Object object) {
        return SLOT.getVolatile(slots, slot) == object;
    }
}
