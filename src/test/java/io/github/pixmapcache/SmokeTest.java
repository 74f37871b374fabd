package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void insertFindCloseFrees() {
        TestAllocator allocator = new TestAllocator();
        try (Arena arena = Arena.ofConfined()) {
            Pixmap p = Pixmap.allocate(arena, 8, 8, PixelFormat.BGRA_8888_PRE);
            p.fill(0x80FF0000);
            PixmapCache<String> cache = allocator.<String>builder().maximumBytes(1000).build();
            assertTrue(cache.insert("a", p));
            PixmapCache.Key k = cache.insert(p);
            assertTrue(k.isValid());
            try (PixmapLease lease = cache.find("a")) {
                assertTrue(lease.pixmap().contentEquals(p));
                assertEquals(p.getArgb(3, 3), lease.pixmap().getArgb(3, 3));
            }
            PixmapLease held = cache.find(k);
            assertNotNull(held);
            for (int i = 0; i < 2000; i++) {
                cache.insert(p);
            }
            assertFalse(k.isValid());
            assertTrue(held.pixmap().contentEquals(p));
            cache.close();
            assertEquals(256, allocator.liveBytes());
            held.close();
            assertThrows(IllegalStateException.class, () -> held.pixmap());
            assertEquals(0, allocator.liveBytes());
        }
    }
}
