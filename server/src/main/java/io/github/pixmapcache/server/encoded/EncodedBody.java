package io.github.pixmapcache.server.encoded;

import java.nio.ByteBuffer;

/**
 * One response's encoded bytes, to write and then close: a heap body closes as a no-op, a native one
 * lets go of the memory it pins (after which its buffer throws on every access).
 */
public interface EncodedBody extends AutoCloseable {

    /** {@return the bytes, from position 0 to the limit; read-only for a native body} */
    ByteBuffer buffer();

    /** {@return how many bytes the body has} */
    int length();

    /** Lets go of the bytes; any thread may call it; closing a closed body does nothing. */
    @Override
    void close();

    /**
     * A body of heap bytes: closing it does nothing.
     *
     * @param bytes the bytes (not copied)
     * @return the body
     */
    static EncodedBody of(byte[] bytes) {
        return new EncodedBody() {
            @Override
            public ByteBuffer buffer() {
                return ByteBuffer.wrap(bytes);
            }

            @Override
            public int length() {
                return bytes.length;
            }

            @Override
            public void close() {
                // heap bytes: the garbage collector lets go of them
            }
        };
    }
}
