package io.github.pixmapcache;

import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.memory.NativeMemory;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link PixmapAllocator} a loader renders into. Its pixmaps are views of cache-owned blocks,
 * scoped to one shared arena per load, so that any thread may allocate and write while the load
 * runs (a parallel renderer). The arena closes when the load ends, with a handshake that kills
 * every view the loader kept, on every thread (an access then throws
 * {@link IllegalStateException}). The block of the pixmap the loader returns is adopted without a
 * copy; every other block is freed.
 */
final class LoadAllocator implements PixmapAllocator, AutoCloseable {
    private final PixmapCache<?> cache;
    private final Object key;
    private final Arena scope = Arena.ofShared();
    /** Guarded by itself; allocate may run on any thread, adopt and close on the loading one. */
    private final List<Block> blocks = new ArrayList<>();

    LoadAllocator(PixmapCache<?> cache, Object key) {
        this.cache = cache;
        this.key = key;
    }

    @Override
    public Pixmap allocate(int width, int height, PixelFormat format) {
        long bytes = Require.pixmapBytes(width, height, format);
        synchronized (blocks) {  // against close(): a block taken after it would never be freed
            if (!scope.scope().isAlive()) {
                throw new IllegalStateException("the load of " + key + " is over; allocate while loading");
            }
            long address = cache.allocate(bytes);
            NativeMemory.clear(address, bytes);  // never show a caller what an earlier pixmap left behind
            Pixmap pixmap = Pixmap.wrap(NativeMemory.view(address, bytes, scope), width, height, format);
            blocks.add(new Block(pixmap, address));
            return pixmap;
        }
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
        return cache.copyOf(key, Entry.KEYED, result);
    }

    /** Ends the load: kills every view handed out, on every thread, then frees the blocks not adopted. */
    @Override
    public void close() {
        synchronized (blocks) {
            scope.close();
            for (Block block : blocks) {
                cache.free(block.address, block.pixmap.byteSize());
            }
            blocks.clear();
        }
    }

    private record Block(Pixmap pixmap, long address) {}
}
