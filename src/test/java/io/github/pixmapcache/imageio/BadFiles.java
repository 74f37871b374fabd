package io.github.pixmapcache.imageio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Hand-made files whose headers lie: PNG built chunk by chunk with valid CRCs, TIFF built entry by
 * entry.
 */
final class BadFiles {
    private BadFiles() {}

    /**
     * A PNG whose IHDR declares {@code width} x {@code height} 8-bit RGBA and whose IDAT holds
     * {@code rows} rows of zeros of that width, deflated (a bomb: a few kilobytes that claim
     * gigapixels).
     */
    static byte[] png(int width, int height, int rows) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(file, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0).array());
        Deflater deflater = new Deflater(9);
        byte[] row = new byte[1 + Math.max(0, Math.min(width, 1 << 16)) * 4];
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        for (int i = 0; i < rows; i++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                idat.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            idat.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        chunk(file, "IDAT", idat.toByteArray());
        chunk(file, "IEND", new byte[0]);
        return file.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream file, String type, byte[] data) {
        byte[] typeAndData = new byte[4 + data.length];
        System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, typeAndData, 0, 4);
        System.arraycopy(data, 0, typeAndData, 4, data.length);
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        file.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        file.writeBytes(typeAndData);
        file.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * A little-endian 16x16 8-bit gray TIFF, uncompressed, with one {@code tileWidth} x
     * {@code tileLength} tile of 16 bytes declared to hold {@code tileBytes} bytes.
     */
    static byte[] tiledTiff(long tileWidth, long tileLength, long tileBytes) {
        return tiff(new long[][] {
            {256, 3, 16}, {257, 3, 16}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1}, {277, 3, 1},
            {322, 4, tileWidth}, {323, 4, tileLength}, {324, 4, -1}, {325, 4, tileBytes}});
    }

    /** A 16x16 8-bit gray TIFF of one strip of 16 rows, declared to hold {@code stripBytes} bytes. */
    static byte[] strippedTiff(long stripBytes) {
        return tiff(new long[][] {
            {256, 3, 16}, {257, 3, 16}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1}, {273, 4, -1},
            {277, 3, 1}, {278, 4, 16}, {279, 4, stripBytes}});
    }

    /** Entries {tag, type, value} of one value each; -1 is the offset of 16 bytes of data after the IFD. */
    private static byte[] tiff(long[][] entries) {
        int dataOffset = 8 + 2 + entries.length * 12 + 4;
        ByteBuffer file = ByteBuffer.allocate(dataOffset + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        file.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        file.putShort((short) entries.length);
        for (long[] entry : entries) {
            file.putShort((short) entry[0]).putShort((short) entry[1]).putInt(1);
            long value = entry[2] == -1 ? dataOffset : entry[2];
            if (entry[1] == 3) {
                file.putShort((short) value).putShort((short) 0);
            } else {
                file.putInt((int) value);
            }
        }
        file.putInt(0);
        return file.array();
    }
}
