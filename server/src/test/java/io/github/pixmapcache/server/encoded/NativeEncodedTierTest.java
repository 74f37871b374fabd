package io.github.pixmapcache.server.encoded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What only the native tier has: bodies that pin native memory until they are closed, on any thread. */
class NativeEncodedTierTest {

    @Test
    void aBodyIsTheValueAsADirectBufferWithNoPadding() {
        try (NativeEncodedTier<String> tier = new NativeEncodedTier<>("t", 1 << 20);
             EncodedBody body = tier.body("k", k -> new byte[] {1, 2, 3, 4, 5})) {
            ByteBuffer buffer = body.buffer();
            assertTrue(buffer.isDirect());
            assertEquals(5, body.length());
            assertEquals(5, buffer.remaining(), "the row's padding to 8 bytes is not sent");
            assertEquals(5, buffer.get(4));
        }
    }

    @Test
    void aBodyOutlivesItsEvictionAndFreesItsMemoryWhenClosedOnAnotherThread() {
        try (NativeEncodedTier<String> tier = new NativeEncodedTier<>("t", 1 << 20)) {
            EncodedBody body = tier.body("k", k -> new byte[] {7, 7, 7, 7});
            tier.invalidateAll();
            assertEquals(4, tier.leasedDetachedBytes(), "the body pins the invalidated value");
            assertEquals(7, body.buffer().get(3), "still readable while the body is open");
            CompletableFuture.runAsync(body::close).join(); // Jetty may complete a write on another thread
            assertEquals(0, tier.leasedDetachedBytes());
            body.close(); // a second close does nothing
            assertEquals(0, tier.leasedDetachedBytes());
        }
    }

    @Test
    void aClosedBodyCannotBeReadNorCanABufferTakenBeforeTheClose() {
        try (NativeEncodedTier<String> tier = new NativeEncodedTier<>("t", 1 << 20)) {
            EncodedBody body = tier.body("k", k -> new byte[] {1, 2, 3, 4});
            ByteBuffer taken = body.buffer();
            tier.invalidateAll();
            body.close();
            assertThrows(IllegalStateException.class, body::buffer);
            assertThrows(IllegalStateException.class, () -> taken.get(0), "no read after free: FFM refuses it");
        }
    }

    @Test
    void aHitMakesABodyWithoutEncodingAndEveryBodyMustBeClosedToFreeAnEvictedValue() {
        try (NativeEncodedTier<String> tier = new NativeEncodedTier<>("t", 1 << 20)) {
            tier.body("k", k -> new byte[] {1, 2, 3, 4}).close();
            EncodedBody first = tier.body("k", k -> { throw new AssertionError("a hit must not encode"); });
            EncodedBody second = tier.body("k", k -> { throw new AssertionError("a hit must not encode"); });
            tier.invalidateAll();
            first.close();
            assertEquals(4, tier.leasedDetachedBytes(), "the second body still pins it");
            second.close();
            assertEquals(0, tier.leasedDetachedBytes());
            assertEquals(2, tier.numbers().hits());
            assertEquals(1, tier.numbers().encodes());
        }
    }
}
