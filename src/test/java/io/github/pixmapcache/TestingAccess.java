package io.github.pixmapcache;

import io.github.pixmapcache.internal.memory.NativeAllocator;

/**
 * The one package-private part of the API that the helpers in {@code io.github.pixmapcache.testing}
 * need, opened to them from test code: the builder's allocator seam. Not shipped.
 */
public final class TestingAccess {
    private TestingAccess() {}

    /** A cache builder whose caches allocate through {@code allocator}. */
    public static <K> PixmapCache.Builder<K> builder(NativeAllocator allocator) {
        return PixmapCache.<K>builder().nativeAllocator(allocator);
    }
}
