package io.github.pixmapcache.internal.policy;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * GreedyDual-Size-Frequency (Cherkasova, "Improving WWW Proxies Performance with Greedy-Dual-Size-
 * Frequency Caching Policy", HP Labs 1998) with TinyLFU's frequencies: the entry with the lowest
 * priority {@code L + frequency / bytes} leaves first, where {@code L}, the inflation, is the
 * priority of the last entry evicted. A small pixmap asked for often stays; a large one must be
 * asked for as many times more often as it is larger; and every entry (re)counted now starts above
 * what was evicted before, so old popularity fades without a clock.
 *
 * <p>Unlike the classic policy, which forgets an object's count when it leaves, the frequency is
 * the {@link FrequencySketch}'s estimate, which outlives the entry (and ages by halving): an object
 * evicted and requested again comes back with its history. On the shared size-aware traces that
 * wins about a point of object hit ratio over the classic form (bench/HITRATIO.md).
 *
 * <p>The entries lie in a binary min-heap; each entry's {@link PolicyEntry#queue()} is its heap
 * position plus one (0: not in this order). Adding, reading and removing cost O(log n).
 * {@link #victim()} is called only by a caller about to evict the entry it names: it raises the
 * inflation to that entry's priority.
 */
public final class GreedyDualOrder<E extends PolicyEntry<E>> implements EvictionOrder<E> {
    private static final int INITIAL_CAPACITY = 16;

    private final FrequencySketch sketch;
    /** heap[0..count) is a min-heap by priorities[i]; the two arrays move together. */
    private E[] heap;
    private double[] priorities;
    private int count;
    /** The priority of the last entry named as the victim: where newly counted priorities start. */
    private double inflation;

    public GreedyDualOrder() {
        this(new FrequencySketch());
    }

    GreedyDualOrder(FrequencySketch sketch) {
        this.sketch = sketch;
        @SuppressWarnings("unchecked")
        E[] initial = (E[]) new PolicyEntry<?>[INITIAL_CAPACITY];
        this.heap = initial;
        this.priorities = new double[INITIAL_CAPACITY];
    }

    @Override
    public void add(E entry) {
        sketch.ensureCapacityKeepingCounts(count + 1L);
        sketch.increment(entry.keyHash());
        adopt(entry);
    }

    /** Places an entry by its current frequency without counting a request for it. */
    void adopt(E entry) {
        if (count == heap.length) {
            heap = Arrays.copyOf(heap, count * 2);
            priorities = Arrays.copyOf(priorities, count * 2);
        }
        int position = count++;
        place(entry, priorityOf(entry), position);
        siftUp(position);
    }

    @Override
    public void recordAccess(E entry) {
        sketch.increment(entry.keyHash());
        int position = entry.queue() - 1;
        priorities[position] = priorityOf(entry);  // may fall, when the sketch has aged meanwhile
        siftDown(siftUp(position));
    }

    @Override
    public void remove(E entry) {
        int position = entry.queue() - 1;
        entry.setQueue(0);
        int last = --count;
        if (position != last) {
            place(heap[last], priorities[last], position);
            siftDown(siftUp(position));
        }
        heap[last] = null;
    }

    /** The entry of lowest priority; raises the inflation to its priority, as it is about to leave. */
    @Override
    public E victim() {
        if (count == 0) {
            return null;
        }
        inflation = Math.max(inflation, priorities[0]);
        return heap[0];
    }

    /** Takes every entry out, lowest priority first, and gives each to {@code receiver}. */
    void handOver(Consumer<? super E> receiver) {
        while (count > 0) {
            E lowest = heap[0];
            remove(lowest);
            receiver.accept(lowest);
        }
    }

    /** How many entries the order holds. */
    int size() {
        return count;
    }

    private double priorityOf(E entry) {
        return inflation + (double) sketch.frequency(entry.keyHash()) / entry.byteSize();
    }

    private void place(E entry, double priority, int position) {
        heap[position] = entry;
        priorities[position] = priority;
        entry.setQueue(position + 1);
    }

    private int siftUp(int position) {
        E entry = heap[position];
        double priority = priorities[position];
        while (position > 0) {
            int parent = (position - 1) >>> 1;
            if (priorities[parent] <= priority) {
                break;
            }
            place(heap[parent], priorities[parent], position);
            position = parent;
        }
        place(entry, priority, position);
        return position;
    }

    private void siftDown(int position) {
        E entry = heap[position];
        double priority = priorities[position];
        int half = count >>> 1;
        while (position < half) {
            int child = 2 * position + 1;
            if (child + 1 < count && priorities[child + 1] < priorities[child]) {
                child++;
            }
            if (priority <= priorities[child]) {
                break;
            }
            place(heap[child], priorities[child], position);
            position = child;
        }
        place(entry, priority, position);
    }
}
