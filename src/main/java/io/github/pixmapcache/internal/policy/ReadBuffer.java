package io.github.pixmapcache.internal.policy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * Records reads without taking the policy lock, as Caffeine's read buffer does: readers append to
 * one of several small rings (chosen by thread), and whoever holds the policy lock drains them.
 *
 * <p>A thread's own reads stay in order, since one thread always lands in the same ring, so a
 * single-threaded caller that drains before every eviction sees exact LRU order. Under contention
 * a read may be dropped (a lost CAS or a full ring whose drain is already under way); that only
 * blurs recency, never correctness.
 */
public final class ReadBuffer<E> {
    private static final int RING_SIZE = 16;  // a power of two
    private static final int RING_MASK = RING_SIZE - 1;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    private final Ring[] rings;
    private final int ringMask;

    public ReadBuffer() {
        int rings = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4 - 1) << 1;
        this.rings = new Ring[rings];
        for (int i = 0; i < rings; i++) {
            this.rings[i] = new Ring();
        }
        this.ringMask = rings - 1;
    }

    /**
     * Records a read of {@code element}.
     *
     * @return false if the calling thread's ring is full: drain, then record the read directly
     */
    public boolean offer(E element) {
        Ring ring = rings[ringIndex()];
        long tail = ring.tail;
        if (tail - ring.head >= RING_SIZE) {
            return false;
        }
        if (Ring.TAIL.compareAndSet(ring, tail, tail + 1)) {
            SLOT.setRelease(ring.slots, (int) tail & RING_MASK, element);
        }
        return true;  // a lost CAS means another reader is here: drop this read
    }

    /** Hands every recorded read to {@code consumer}, ring by ring; one drainer at a time. */
    @SuppressWarnings("unchecked")
    public void drainTo(Consumer<? super E> consumer) {
        for (Ring ring : rings) {
            long head = ring.head;
            long tail = ring.tail;
            for (; head < tail; head++) {
                int index = (int) head & RING_MASK;
                Object element = SLOT.getAcquire(ring.slots, index);
                if (element == null) {
                    break;  // claimed but not yet written: pick it up next time
                }
                SLOT.setOpaque(ring.slots, index, null);
                consumer.accept((E) element);
            }
            ring.head = head;
        }
    }

    private int ringIndex() {
        long id = Thread.currentThread().threadId();
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> 32) & ringMask;
    }

    /** A bounded ring: many producers claim slots by CAS on {@code tail}, one drainer advances {@code head}. */
    private static final class Ring {
        static final VarHandle TAIL;

        static {
            try {
                TAIL = MethodHandles.lookup().findVarHandle(Ring.class, "tail", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Object[] slots = new Object[RING_SIZE];
        volatile long head;
        volatile long tail;
    }
}
