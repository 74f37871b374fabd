package io.github.pixmapcache.server.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TierKeysTest {

    private final TierKeys keys = new TierKeys("pxc", "mandelbrot-1", 8);

    @Test
    void aTileAndItsLockShareTheMetatilesHashTag() {
        assertEquals("pxc:mandelbrot-1:{12/255/170}:2041/1363", keys.tile(12, 2041, 1363));
        assertEquals("pxc:mandelbrot-1:{12/255/170}:lock", keys.lock(12, 2047, 1360));
        assertEquals("pxc:mandelbrot-1:{12/255/170}:fence", keys.fence(12, 2040, 1367));
        assertEquals("pxc:mandelbrot-1:{0/0/0}:0/0", keys.tile(0, 0, 0));
        assertEquals("pxc:mandelbrot-1:renders", keys.renders());
    }

    @Test
    void anotherVersionHasAnotherTagAndOtherKeys() {
        TierKeys next = new TierKeys("pxc", "mandelbrot-2", 8);
        assertNotEquals(keys.versionTag(), next.versionTag());
        assertNotEquals(keys.tile(3, 1, 1), next.tile(3, 1, 1));
    }

    @Test
    void badNamesAreRefusedWithTheValue() {
        assertEquals("key prefix \"a{b\" is not one or more of A-Z a-z 0-9 _ . -",
                assertThrows(IllegalArgumentException.class, () -> new TierKeys("a{b", "v", 8)).getMessage());
        assertEquals("render version \"\" is not one or more of A-Z a-z 0-9 _ . -",
                assertThrows(IllegalArgumentException.class, () -> new TierKeys("a", "", 8)).getMessage());
        assertEquals("metatile size 0 is below 1",
                assertThrows(IllegalArgumentException.class, () -> new TierKeys("a", "v", 0)).getMessage());
    }
}
