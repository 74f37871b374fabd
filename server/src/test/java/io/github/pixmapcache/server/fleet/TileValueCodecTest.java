package io.github.pixmapcache.server.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TileValueCodecTest {

    private static final byte[] PNG = pseudoPng(5_000);

    @Test
    void roundTripGivesThePayloadBack() {
        byte[] value = TileValueCodec.encode(7, PNG);
        assertEquals(TileValueCodec.HEADER_BYTES + PNG.length, value.length);
        var valid = assertInstanceOf(TileValueCodec.Valid.class, TileValueCodec.decode(value, 7));
        assertArrayEquals(PNG, bytes(valid.payload()));
        assertTrue(valid.payload().isReadOnly());
    }

    @Test
    void emptyPayloadIsValid() {
        var valid = assertInstanceOf(TileValueCodec.Valid.class, TileValueCodec.decode(TileValueCodec.encode(0, new byte[0]), 0));
        assertEquals(0, valid.payload().remaining());
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] value = TileValueCodec.encode(7, PNG);
        for (int length = 0; length < value.length; length += length < 64 ? 1 : 97) {
            assertInstanceOf(TileValueCodec.Invalid.class, TileValueCodec.decode(Arrays.copyOf(value, length), 7),
                    "truncated to " + length + " bytes");
        }
    }

    @Test
    void extraBytesAreRefused() {
        byte[] value = Arrays.copyOf(TileValueCodec.encode(7, PNG), TileValueCodec.HEADER_BYTES + PNG.length + 1);
        assertReason("header says 5000 payload bytes, value holds 5001", value, 7);
    }

    @Test
    void foreignValuesAreRefused() {
        assertReason("magic 0x89504e47 is not 0x50585431", PNG, 7);  // a bare PNG, as another writer might store
        assertReason("value of 5 bytes is shorter than the 16-byte header", "hello".getBytes(StandardCharsets.US_ASCII), 7);
    }

    @Test
    void anotherRenderVersionIsRefused() {
        assertReason("render version tag 6 is not 7", TileValueCodec.encode(6, PNG), 7);
    }

    @Test
    void everyFlippedPayloadBitIsCaught() {
        byte[] value = TileValueCodec.encode(7, PNG);
        for (int i = TileValueCodec.HEADER_BYTES; i < value.length; i += 13) {
            byte[] flipped = value.clone();
            flipped[i] ^= (byte) (1 << (i % 8));
            var invalid = assertInstanceOf(TileValueCodec.Invalid.class, TileValueCodec.decode(flipped, 7), "bit flipped at " + i);
            assertTrue(invalid.reason().startsWith("checksum"), invalid.reason());
        }
    }

    private static void assertReason(String reason, byte[] value, int version) {
        assertEquals(reason, assertInstanceOf(TileValueCodec.Invalid.class, TileValueCodec.decode(value, version)).reason());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    /** The 8-byte PNG signature, then noise. */
    static byte[] pseudoPng(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, bytes, 0, 8);
        return bytes;
    }
}
