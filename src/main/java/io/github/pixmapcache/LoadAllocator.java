package io.github.pixmapcache;

import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.memory.NativeMemory;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link PixmapAllocator} a loader renders into. Its pixmaps are views of cache-owned blocks,
 * scoped to the load: {@link #allocate} to a shared arena, so that any thread may write while the
 * load runs (a parallel renderer), {@link #allocateConfined} to a confined one of the loading
 * thread. Each arena is opened at its first pixmap and closed when the load ends, which kills
 * every view the loader kept (an access then throws {@link IllegalStateException}); closing the
 * shared one is a handshake with every thread of the JVM, closing the confined one is not. The
 * block of the pixmap the loader returns is adopted without a copy; every other block is freed.
 */
final class LoadAllocator implements PixmapAllocator, AutoCloseable {
    private final Blocks source;
    private final Object key;
    /** The loading thread: the confined arena's owner, and the one that adopts and closes. */
    private final Thread loading = Thread.currentThread();
    /** Guarded by blocks; null until the first shared pixmap. */
    private Arena shared;
    /** Guarded by blocks; null until the first confined pixmap. */
    private Arena confined;
    /** Guarded by blocks; set once by close, after which nothing is allocated. */
    private boolean ended;
    /** Guarded by itself; allocate may run on any thread, adopt and close on the loading one. */
    private final List<Block> blocks = new ArrayList<>();

    LoadAllocator(Blocks source, Object key) {
        this.source = source;
        this.key = key;
    }

    @Override
    public Pixmap allocate(int width, int height, PixelFormat format) {
        long bytes = Require.pixmapBytes(width, height, format);
        synchronized (blocks) {  // against close(): a block taken after it would never be freed
            ensureLoading();
            if (shared == null) {
                shared = Arena.ofShared();
            }
            return take(bytes, width, height, format, shared);
        }
    }

    @Override
    public Pixmap allocateConfined(int width, int height, PixelFormat format) {
        long bytes = Require.pixmapBytes(width, height, format);
        if (Thread.currentThread() != loading) {
            throw new WrongThreadException("a confined pixmap of the load of " + key
                    + " is allocated on its loading thread " + loading.getName() + ", not on " + Thread.currentThread().getName());
        }
        synchronized (blocks) {
            ensureLoading();
            if (confined == null) {
                confined = Arena.ofConfined();
            }
            return take(bytes, width, height, format, confined);
        }
    }

    private void ensureLoading() {
        if (ended) {
            throw new IllegalStateException("the load of " + key + " is over; allocate while loading");
        }
    }

    /** Called holding blocks: a cleared block of {@code bytes}, viewed in {@code scope} and recorded. */
    private Pixmap take(long bytes, int width, int height, PixelFormat format, Arena scope) {
        long address = source.allocate(bytes);
        NativeMemory.clear(address, bytes);  // never show a caller what an earlier pixmap left behind
        Pixmap pixmap = Pixmap.wrap(NativeMemory.view(address, bytes, scope), width, height, format);
        blocks.add(new Block(pixmap, address));
        return pixmap;
    }

    /** An unpublished entry holding {@code result}: its own block if it came from here, else a copy. */
    Entry adopt(Pixmap result) {
        synchronized (blocks) {
            for (int i = 0; i < blocks.size(); i++) {
                Block block = blocks.get(i);
                if (block.pixmap == result) {
                    Entry entry = new Entry(key, Entry.KEYED, block.address, (int) result.byteSize(),
                            result.width(), result.height(), result.format());
                    blocks.remove(i);
                    return entry;
                }
            }
        }
        return source.copyOf(key, Entry.KEYED, result);
    }

    /**
     * Ends the load, on the loading thread: kills every view handed out (the shared ones on every
     * thread), then frees the blocks not adopted.
     */
    @Override
    public void close() {
        synchronized (blocks) {
            ended = true;
            if (confined != null) {
                confined.close();
            }
            if (shared != null) {
                shared.close();
            }
            for (Block block : blocks) {
                source.free(block.address, block.pixmap.byteSize());
            }
            blocks.clear();
        }
    }

    private record Block(Pixmap pixmap, long address) {}
}
