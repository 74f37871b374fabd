package io.github.pixmapcache.server.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Fuzzes the Redis value codec ({@link TileValueCodec}) with foreign values (any bytes another
 * program or an older server stored under our key) and with our own values truncated, extended or
 * with bytes changed. The input's first byte picks the case (its low two bits) and a position (the
 * rest), the next four the expected render version, the rest are the value or the payload; the
 * seeds are real values, PNG tiles encoded as the fleet stores them. A value is served only when it is exactly what {@code encode} makes of its
 * payload for the expected render version; everything else is {@link TileValueCodec.Invalid} with
 * a reason, and nothing throws.
 */
class TileValueCodecFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void foreignTruncatedAndCorruptedValues(byte[] input) {
        if (input.length < 5) {
            return;
        }
        int mode = input[0] & 3;
        int position = (input[0] & 0xFF) >>> 2;
        int expectedVersion = ByteBuffer.wrap(input, 1, 4).getInt();
        byte[] rest = Arrays.copyOfRange(input, 5, input.length);
        byte[] encoded = TileValueCodec.encode(expectedVersion, rest);
        byte[] value = switch (mode) {
            case 0 -> rest;  // foreign: any bytes at all
            case 1 -> Arrays.copyOf(encoded, Math.max(0, encoded.length - 1 - position));  // truncated
            case 2 -> corrupt(encoded, position);
            default -> encoded;
        };

        TileValueCodec.Decoded decoded = TileValueCodec.decode(value, expectedVersion);

        if (mode == 3) {
            assertInstanceOf(TileValueCodec.Valid.class, decoded, "our own exact encoding is served");
        } else if (mode != 0) {
            assertInstanceOf(TileValueCodec.Invalid.class, decoded, "a truncated or corrupted value is refused");
        }
        if (decoded instanceof TileValueCodec.Valid valid) {
            ByteBuffer payload = valid.payload();
            assertTrue(payload.isReadOnly(), "a served payload is read-only");
            byte[] bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
            assertArrayEquals(TileValueCodec.encode(expectedVersion, bytes), value,
                    "served, so the value must be exactly our encoding of its payload");
        } else {
            TileValueCodec.Invalid invalid = assertInstanceOf(TileValueCodec.Invalid.class, decoded);
            assertTrue(invalid.reason() != null && !invalid.reason().isBlank(), "an invalid value says why");
            if (value.length >= TileValueCodec.HEADER_BYTES) {
                int length = ByteBuffer.wrap(value, 8, 4).getInt();
                boolean ours = length == value.length - TileValueCodec.HEADER_BYTES
                        && Arrays.equals(TileValueCodec.encode(expectedVersion,
                                Arrays.copyOfRange(value, TileValueCodec.HEADER_BYTES, value.length)), value);
                assertEquals(false, ours, "our own exact encoding refused: " + invalid.reason());
            }
        }
    }

    /** One byte changed: in the header for small positions, else in the payload. */
    private static byte[] corrupt(byte[] encoded, int position) {
        byte[] value = encoded.clone();
        int at = position < TileValueCodec.HEADER_BYTES ? position : (position * 7919) % value.length;
        value[at] ^= (byte) (position | 1);
        return value;
    }
}
