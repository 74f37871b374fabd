package io.github.pixmapcache.server.encoded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.junit.jupiter.api.Test;

/**
 * What only the native tier has: a body is a copy of the native bytes in a direct buffer of Jetty's
 * pool, made under the cache's read, so it pins nothing of the tier and gives its buffer back once.
 */
class NativeEncodedTierTest {
    private final ArrayByteBufferPool.Tracking pool = new ArrayByteBufferPool.Tracking();

    @Test
    void aBodyIsTheValueInADirectBufferOfThePoolWithNoPadding() {
        try (NativeEncodedTier<String> tier = new NativeEncodedTier<>("t", 1 << 20);
             EncodedBody body = tier.body("k", k -> new byte[] {1, 2, 3, 4, 5}, pool)) {
            ByteBuffer buffer = body.buffer();
            assertTrue(buffer.isDirect());
            assertEquals(5, body.length());
            assertEquals(5, buffer.remaining(), "the row's padding to 8 bytes is not sent");
            assertEquals(5, buffer.get(4));
            assertEquals(1, pool.getLeaks().size(), "the body holds one buffer of the pool while open");
        }
        assertEquals(0, pool.getLeaks().size(), pool::dumpLeaks);
    }

    @Test
    void aBodyPinsNothingOfTheTierAndGivesItsBufferBackOnceWhenClosedOnAnotherThread() {
        try (NativeEncodedTier<String> tier = new NativeEncodedTier<>("t", 1 << 20)) {
            EncodedBody body = tier.body("k", k -> new byte[] {7, 7, 7, 7}, pool);
            tier.invalidateAll();
            assertEquals(0, tier.leasedDetachedBytes(), "the invalidated value is freed at once: the body is a copy");
            assertEquals(7, body.buffer().get(3), "still readable while the body is open");
            assertEquals(1, tier.openBodies());
            CompletableFuture.runAsync(body::close).join(); // Jetty may complete a write on another thread
            assertEquals(0, tier.openBodies());
            body.close(); // a second close does nothing: the buffer is not given back twice
            assertEquals(0, tier.openBodies());
            assertEquals(0, pool.getLeaks().size(), pool::dumpLeaks);
        }
    }

    @Test
    void aClosedBodyCannotBeRead() {
        try (NativeEncodedTier<String> tier = new NativeEncodedTier<>("t", 1 << 20)) {
            EncodedBody body = tier.body("k", k -> new byte[] {1, 2, 3, 4}, pool);
            body.close();
            assertThrows(IllegalStateException.class, body::buffer);
        }
    }

    @Test
    void aBodyCannotWriteIntoThePooledBuffer() {
        try (NativeEncodedTier<String> tier = new NativeEncodedTier<>("t", 1 << 20);
             EncodedBody body = tier.body("k", k -> new byte[] {1, 2, 3, 4}, pool)) {
            assertTrue(body.buffer().isReadOnly());
            body.buffer().get(new byte[4]); // each buffer() is a view of its own: consuming one ...
            assertEquals(4, body.buffer().remaining(), "... leaves the next whole");
        }
    }

    @Test
    void aHitMakesABodyWithoutEncodingAndEveryBodyIsACopyOfItsOwn() {
        try (NativeEncodedTier<String> tier = new NativeEncodedTier<>("t", 1 << 20)) {
            tier.body("k", k -> new byte[] {1, 2, 3, 4}, pool).close();
            EncodedBody first = tier.body("k", k -> { throw new AssertionError("a hit must not encode"); }, pool);
            EncodedBody second = tier.body("k", k -> { throw new AssertionError("a hit must not encode"); }, pool);
            tier.invalidateAll();
            assertEquals(0, tier.leasedDetachedBytes());
            first.close();
            assertEquals(4, second.buffer().get(3), "the second body is its own copy");
            second.close();
            assertEquals(2, tier.numbers().hits());
            assertEquals(1, tier.numbers().encodes());
            assertEquals(0, pool.getLeaks().size(), pool::dumpLeaks);
        }
    }
}
