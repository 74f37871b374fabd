package io.github.pixmapcache;

/**
 * How a pixel is laid out in memory. Every format stores whole pixels in rows of
 * {@link Pixmap#stride()} bytes; see {@code native-layout.md} for the exact bytes.
 */
public enum PixelFormat {
    /**
     * 4 bytes per pixel in memory order B, G, R, A, with premultiplied alpha: the same bytes as Qt
     * {@code ARGB32_Premultiplied} and Skia {@code N32} on little-endian machines, and JavaFX
     * {@code PixelFormat.getByteBgraPreInstance()}.
     */
    BGRA_8888_PRE(4),
    /** 4 bytes per pixel in memory order R, G, B, A, with straight (non-premultiplied) alpha. */
    RGBA_8888(4),
    /** 1 byte per pixel of luminance; always opaque. */
    GRAY_8(1);

    private final int bytesPerPixel;

    PixelFormat(int bytesPerPixel) {
        this.bytesPerPixel = bytesPerPixel;
    }

    /** {@return the bytes one pixel takes} */
    public int bytesPerPixel() {
        return bytesPerPixel;
    }
}
