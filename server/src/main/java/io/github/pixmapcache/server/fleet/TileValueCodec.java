package io.github.pixmapcache.server.fleet;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Frames an encoded tile for storage under a Redis key, so that a value this renderer did not write
 * whole (truncated, foreign, from another render version, bit-flipped) is recognised and never served.
 *
 * <pre>
 * offset  size  field
 *      0     4  magic "PXT1"
 *      4     4  render version tag (big-endian int, {@link TierKeys#versionTag()})
 *      8     4  payload length in bytes (big-endian int)
 *     12     4  CRC-32C of the payload (big-endian int)
 *     16     n  payload: the tile's PNG bytes
 * </pre>
 */
public final class TileValueCodec {

    /** Bytes before the payload. */
    public static final int HEADER_BYTES = 16;

    /** "PXT1": pixmap-cache tile, format 1. */
    private static final int MAGIC = 0x50585431;

    private TileValueCodec() {}

    /** What a stored value turned out to be. */
    public sealed interface Decoded permits Valid, Invalid {}

    /** A whole value of the expected render version; {@code payload} is a read-only view of its bytes. */
    public record Valid(ByteBuffer payload) implements Decoded {}

    /** A value that must not be served; {@code reason} names what was wrong, with the numbers. */
    public record Invalid(String reason) implements Decoded {}

    public static byte[] encode(int renderVersion, byte[] payload) {
        ByteBuffer value = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        value.putInt(MAGIC).putInt(renderVersion).putInt(payload.length).putInt(crc(payload, 0, payload.length));
        value.put(payload);
        return value.array();
    }

    /** Checks magic, version, length and checksum; the payload is not copied. */
    public static Decoded decode(byte[] value, int expectedRenderVersion) {
        if (value.length < HEADER_BYTES) {
            return new Invalid("value of " + value.length + " bytes is shorter than the " + HEADER_BYTES + "-byte header");
        }
        ByteBuffer header = ByteBuffer.wrap(value, 0, HEADER_BYTES);
        int magic = header.getInt();
        if (magic != MAGIC) {
            return new Invalid("magic 0x" + Integer.toHexString(magic) + " is not 0x" + Integer.toHexString(MAGIC));
        }
        int version = header.getInt();
        if (version != expectedRenderVersion) {
            return new Invalid("render version tag " + version + " is not " + expectedRenderVersion);
        }
        int length = header.getInt();
        if (length != value.length - HEADER_BYTES) {
            return new Invalid("header says " + length + " payload bytes, value holds " + (value.length - HEADER_BYTES));
        }
        int stored = header.getInt();
        int actual = crc(value, HEADER_BYTES, length);
        if (stored != actual) {
            return new Invalid("checksum 0x" + Integer.toHexString(actual) + " is not the stored 0x" + Integer.toHexString(stored));
        }
        return new Valid(ByteBuffer.wrap(value, HEADER_BYTES, length).slice().asReadOnlyBuffer());
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
