package io.github.pixmapcache.internal.policy;

import java.util.function.Consumer;

/**
 * Adaptive, size-aware Window-TinyLFU (after Einziger, Friedman and Manes, "TinyLFU: A Highly
 * Efficient Cache Admission Policy", and the design of Caffeine).
 *
 * <p>New entries enter a small LRU <em>window</em>, where they can collect a few hits. The rest of
 * the budget is the <em>main</em> space, a segmented LRU: <em>probation</em> for entries hit at
 * most once in main, <em>protected</em> (80% of main) for those hit again. When the window
 * overflows, its least recent entry becomes the <em>candidate</em> for main; if main has no room,
 * the candidate meets main's least valuable entry (probation's oldest) and the one with less
 * value is evicted. Value is the estimated frequency per byte, from a {@link FrequencySketch}:
 * frequency decides between equal sizes, and a large pixmap gets in only if it is hit more often,
 * per byte, than each of the small ones it would push out. A one-hit scan therefore never reaches
 * main, and a huge one-off image never flushes many small hot ones.
 *
 * <p>The window's share adapts by hill climbing on the hit ratio: after every sample of requests
 * the share moves one step in the direction that last improved the hit ratio, and turns when it
 * got worse. Recency-driven workloads grow the window towards plain LRU; frequency-driven ones
 * shrink it. The steps shrink while the hit ratio is steady and reset when it jumps.
 *
 * <p>Every operation is O(1), amortized over the entries that move from window to main.
 */
public final class WindowTinyLfuOrder<E extends PolicyEntry<E>> implements EvictionOrder<E> {
    private static final int NONE = 0;
    private static final int WINDOW = 1;
    private static final int PROBATION = 2;
    private static final int PROTECTED = 3;

    private static final double INITIAL_WINDOW_SHARE = 0.01;
    private static final double PROTECTED_SHARE_OF_MAIN = 0.8;
    private static final double STEP_SHARE = 0.0625;
    private static final double STEP_DECAY = 0.98;
    private static final double RESTART_THRESHOLD = 0.05;
    /** Requests per hill-climbing sample, in multiples of the entries cached. */
    private static final int SAMPLE_PER_ENTRY = 10;
    private static final int MINIMUM_SAMPLE = 64;
    /**
     * At most this many requests per sample, so that a large cache still adapts within a short
     * trace (a sample of 10 per entry takes OLTP's 47k-entry cache half the trace); tuned on the
     * shared traces with MINIMUM_SAMPLE and SAMPLE_PER_ENTRY, see bench/HITRATIO.md.
     */
    private static final long MAXIMUM_SAMPLE = 70_000;

    private final WeightedQueue<E> window = new WeightedQueue<>(WINDOW);
    private final WeightedQueue<E> probation = new WeightedQueue<>(PROBATION);
    private final WeightedQueue<E> protectedQueue = new WeightedQueue<>(PROTECTED);
    private final FrequencySketch sketch;

    private long maximumWeight;
    private long windowMaximum;
    private int entries;

    // Hill climber state.
    private int sampleHits;
    private int sampleMisses;
    private double previousHitRatio;
    /** Bytes the window's maximum moves by next; the sign is the direction that last paid off. */
    private double step;

    public WindowTinyLfuOrder(long maximumWeight) {
        this(maximumWeight, new FrequencySketch());
    }

    /** An order that counts frequencies in {@code sketch}, which it may share with another order. */
    WindowTinyLfuOrder(long maximumWeight, FrequencySketch sketch) {
        this.sketch = sketch;
        setMaximumWeight(maximumWeight);
    }

    /** Sizes the parts for a new budget; the window's share starts over at 1% and adapts anew. */
    @Override
    public void setMaximumWeight(long maximumWeight) {
        this.maximumWeight = maximumWeight;
        this.windowMaximum = maximumWeight - (long) ((1 - INITIAL_WINDOW_SHARE) * maximumWeight);
        this.step = STEP_SHARE * maximumWeight;
    }

    @Override
    public void add(E entry) {
        entries++;
        sketch.ensureCapacity(entries);
        sketch.increment(entry.keyHash());
        window.addLast(entry);
        sampleMisses++;
        climb();
        promoteWindowOverflow();
    }

    /**
     * Places an entry at the most recent end of probation without counting a request for it: for
     * entries handed over by another order, least valuable first.
     */
    void adopt(E entry) {
        entries++;
        sketch.ensureCapacity(entries);
        probation.addLast(entry);
    }

    /** Takes every entry out, least valuable first, and gives each to {@code receiver}. */
    void handOver(Consumer<? super E> receiver) {
        for (E entry = victim(); entry != null; entry = victim()) {
            remove(entry);
            receiver.accept(entry);
        }
    }

    @Override
    public void recordAccess(E entry) {
        sketch.increment(entry.keyHash());
        sampleHits++;
        if (window.contains(entry)) {
            window.moveToLast(entry);
        } else if (probation.contains(entry)) {
            probation.remove(entry);
            protectedQueue.addLast(entry);
            demoteProtectedOverflow();
        } else {
            protectedQueue.moveToLast(entry);
        }
        climb();
    }

    @Override
    public void remove(E entry) {
        queueOf(entry).remove(entry);
        entry.setQueue(NONE);
        entries--;
    }

    /**
     * The loser of the contest between the window's candidate and main's victim; without a
     * candidate, main's victim; with an empty main, the window's oldest entry.
     */
    @Override
    public E victim() {
        promoteWindowOverflow();
        E candidate = window.weight() > windowMaximum ? window.first() : null;
        E mainVictim = probation.first() != null ? probation.first() : protectedQueue.first();
        if (mainVictim == null) {
            return window.first();
        }
        if (candidate == null) {
            return mainVictim;
        }
        return admits(candidate, mainVictim) ? mainVictim : candidate;
    }

    /** Whether {@code candidate} is worth more hits per byte than {@code victim}; ties keep the victim. */
    private boolean admits(E candidate, E victim) {
        long candidateValue = (long) sketch.frequency(candidate.keyHash()) * victim.byteSize();
        long victimValue = (long) sketch.frequency(victim.keyHash()) * candidate.byteSize();
        return candidateValue > victimValue;
    }

    /** Moves the window's overflow into probation while main has room for it. */
    private void promoteWindowOverflow() {
        long mainMaximum = maximumWeight - windowMaximum;
        for (E oldest = window.first();
                oldest != null && window.weight() > windowMaximum
                        && probation.weight() + protectedQueue.weight() + oldest.byteSize() <= mainMaximum;
                oldest = window.first()) {
            window.remove(oldest);
            probation.addLast(oldest);
        }
    }

    private void demoteProtectedOverflow() {
        long protectedMaximum = (long) (PROTECTED_SHARE_OF_MAIN * (maximumWeight - windowMaximum));
        while (protectedQueue.weight() > protectedMaximum) {
            E oldest = protectedQueue.first();
            protectedQueue.remove(oldest);
            probation.addLast(oldest);
        }
    }

    /** After a full sample of requests, moves the window's share one step towards a better hit ratio. */
    private void climb() {
        int requests = sampleHits + sampleMisses;
        if (requests < Math.clamp((long) SAMPLE_PER_ENTRY * entries, MINIMUM_SAMPLE, MAXIMUM_SAMPLE)) {
            return;
        }
        double hitRatio = (double) sampleHits / requests;
        double change = hitRatio - previousHitRatio;
        double amount = change >= 0 ? step : -step;
        step = Math.abs(change) >= RESTART_THRESHOLD
                ? Math.copySign(STEP_SHARE * maximumWeight, amount)
                : STEP_DECAY * amount;
        previousHitRatio = hitRatio;
        sampleHits = 0;
        sampleMisses = 0;
        windowMaximum = Math.clamp(windowMaximum + (long) amount, 0, maximumWeight);
    }

    private WeightedQueue<E> queueOf(E entry) {
        if (window.contains(entry)) {
            return window;
        }
        return probation.contains(entry) ? probation : protectedQueue;
    }
}
