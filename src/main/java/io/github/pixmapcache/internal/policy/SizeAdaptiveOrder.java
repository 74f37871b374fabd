package io.github.pixmapcache.internal.policy;

/**
 * Chooses by the spread of the pixmaps' sizes between two orders that share one
 * {@link FrequencySketch}: {@link WindowTinyLfuOrder} while the pixmaps added lately are about one
 * size, where size cannot tell entries apart and recency with frequency wins, and
 * {@link GreedyDualOrder} while their sizes vary, where keeping many small, often asked-for
 * pixmaps in place of a few large ones wins object hits (AdaptSize, LHD and GDSF's finding; see
 * bench/HITRATIO.md).
 *
 * <p>The spread is the standard deviation of log2(bytes) over the recently added entries (an
 * exponentially weighted estimate): above {@value #VARIED_ABOVE} (sizes typically differ by more
 * than twice) the sizes count as varied, below {@value #UNIFORM_BELOW} as uniform again; in between
 * the current choice stays, so that a cache near the border does not switch back and forth. A
 * switch hands every entry to the other order, least valuable first: O(n) once per switch.
 */
public final class SizeAdaptiveOrder<E extends PolicyEntry<E>> implements EvictionOrder<E> {
    static final double VARIED_ABOVE = 1.0;
    static final double UNIFORM_BELOW = 0.5;
    /** Weight of each new size in the spread's estimate: about the last 32 additions count. */
    private static final double WEIGHT = 1.0 / 32;
    private static final double LOG_2 = Math.log(2);

    private final WindowTinyLfuOrder<E> uniform;
    private final GreedyDualOrder<E> varied;
    private EvictionOrder<E> active;

    // The spread's estimate, in log2(bytes).
    private boolean sizeSeen;
    private double meanLog;
    private double varianceLog;

    public SizeAdaptiveOrder(long maximumWeight) {
        FrequencySketch sketch = new FrequencySketch();
        this.uniform = new WindowTinyLfuOrder<>(maximumWeight, sketch);
        this.varied = new GreedyDualOrder<>(sketch);
        this.active = uniform;
    }

    /** Whether the sizes count as varied now, so that {@link GreedyDualOrder} decides. */
    boolean sizesVary() {
        return active == varied;
    }

    @Override
    public void add(E entry) {
        recordSize(entry.byteSize());
        double spread = Math.sqrt(varianceLog);
        if (active == uniform && spread > VARIED_ABOVE) {
            uniform.handOver(varied::adopt);
            active = varied;
        } else if (active == varied && spread < UNIFORM_BELOW) {
            varied.handOver(uniform::adopt);
            active = uniform;
        }
        active.add(entry);
    }

    @Override
    public void recordAccess(E entry) {
        active.recordAccess(entry);
    }

    @Override
    public void remove(E entry) {
        active.remove(entry);
    }

    @Override
    public E victim() {
        return active.victim();
    }

    @Override
    public void setMaximumWeight(long maximumWeight) {
        uniform.setMaximumWeight(maximumWeight);
    }

    private void recordSize(int bytes) {
        double log = Math.log(Math.max(1, bytes)) / LOG_2;
        if (!sizeSeen) {
            sizeSeen = true;
            meanLog = log;
            return;
        }
        double difference = log - meanLog;
        meanLog += WEIGHT * difference;
        varianceLog = (1 - WEIGHT) * (varianceLog + WEIGHT * difference * difference);
    }
}
