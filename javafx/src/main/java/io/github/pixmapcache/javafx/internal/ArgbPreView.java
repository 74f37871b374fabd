package io.github.pixmapcache.javafx.internal;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Objects;
import javafx.scene.image.PixelBuffer;

/**
 * The buffer JavaFX reads: {@code BGRA_8888_PRE} bytes seen as native-order ints, which on a
 * little-endian machine are exactly JavaFX's {@code IntArgbPre} pixels. An {@code IntBuffer} rather
 * than a {@code ByteBuffer} with {@code ByteBgraPre}, because the software pipeline copies the wrong
 * pixels for a {@code ByteBuffer} dirty rectangle (seen with OpenJFX 25.0.4 and 26.0.2).
 *
 * <p>Every buffer JavaFX can hold (this one, and any duplicate or slice it makes) refers to the
 * {@link #root() root} segment, through which the FFM runtime checks the scope on each access.
 * So the root is reachable exactly while JavaFX can still read the pixels: that is what a
 * {@link Pin} watches.
 */
public record ArgbPreView(MemorySegment root, PixelBuffer<IntBuffer> pixelBuffer) {

    /** A view of {@code pixels}, whose memory must outlive every use of the returned buffer. */
    public static ArgbPreView of(Pixmap pixels) {
        requireDisplayable(pixels);
        // A segment of this view alone: the lease or arena keeps its own, which must not be the root.
        MemorySegment root = pixels.segment().asSlice(0, pixels.byteSize());
        IntBuffer ints = root.asByteBuffer().order(ByteOrder.nativeOrder()).asIntBuffer();
        return new ArgbPreView(root, new PixelBuffer<>(pixels.width(), pixels.height(), ints,
                javafx.scene.image.PixelFormat.getIntArgbPreInstance()));
    }

    /** @throws IllegalArgumentException if JavaFX cannot show {@code pixels} as they lie in memory */
    public static void requireDisplayable(Pixmap pixels) {
        Objects.requireNonNull(pixels, "pixmap");
        if (pixels.format() != PixelFormat.BGRA_8888_PRE) {
            throw new IllegalArgumentException("pixmap format " + pixels.format() + " is not "
                    + PixelFormat.BGRA_8888_PRE + ", the only format JavaFX can show without a copy: " + pixels);
        }
        if (pixels.stride() != pixels.width() * 4L) {
            throw new IllegalArgumentException("pixmap stride " + pixels.stride() + " is not width * 4 = "
                    + pixels.width() * 4L + ": a JavaFX PixelBuffer has no row padding: " + pixels);
        }
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {  // BGRA bytes read as ints give ARGB only here
            throw new UnsupportedOperationException("BGRA_8888_PRE pixmaps are shown as IntArgbPre only on "
                    + "little-endian machines; this one is " + ByteOrder.nativeOrder());
        }
    }
}
