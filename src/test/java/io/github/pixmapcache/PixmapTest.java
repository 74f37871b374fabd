package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.*;

import io.github.pixmapcache.internal.pixels.Argb;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@link Pixmap} and {@link PixelFormat} contract: layout, pixel conversions, fill, equality, lifetime. */
class PixmapTest {
    /** A 4-byte pixel read so that the bytes B,G,R,A give 0xAARRGGBB, as BGRA_8888_PRE stores it. */
    private static final ValueLayout.OfInt PIXEL_32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void closeArena() {
        arena.close();
    }

    // ------------------------------------------------------------------ allocation and layout

    /**
     * A pixmap handed to another thread through a data race (a plain field, no happens-before) must
     * still show its segment and size: the Java memory model promises that only for final fields. So
     * {@code Pixmap} itself has no fields, and every field of the classes that may cross threads (a
     * plain pixmap, a lease's common part, a shared lease) is final. A confined lease's fields may
     * change, because only its owner thread reads them after its check.
     */
    @ParameterizedTest
    @ValueSource(classes = {Pixmap.class, PlainPixmap.class, Lease.class, Lease.Shared.class})
    void pixmapsThatMayCrossThreadsAreSafeToPublishThroughADataRace(Class<?> type) {
        for (Field field : type.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (!Modifier.isStatic(modifiers)) {
                assertTrue(Modifier.isFinal(modifiers), type.getName() + "." + field.getName() + " is not final");
            }
        }
    }

    @Test
    void aPlainPixmapIsItsOwnSegmentsSizeAndFormat() {
        Pixmap pixmap = Pixmap.allocate(arena, 3, 2, PixelFormat.GRAY_8);
        assertInstanceOf(PlainPixmap.class, pixmap);
        assertSame(pixmap.segment(), pixmap.view());
        assertEquals(8, pixmap.segment().byteSize());
    }

    @ParameterizedTest
    @CsvSource({"BGRA_8888_PRE, 4", "RGBA_8888, 4", "GRAY_8, 1"})
    void formatReportsBytesPerPixel(PixelFormat format, int bytesPerPixel) {
        assertEquals(bytesPerPixel, format.bytesPerPixel());
    }

    @ParameterizedTest
    @CsvSource({
        "GRAY_8, 1, 4", "GRAY_8, 3, 4", "GRAY_8, 4, 4", "GRAY_8, 5, 8", "GRAY_8, 8, 8", "GRAY_8, 9, 12",
        "BGRA_8888_PRE, 1, 4", "BGRA_8888_PRE, 3, 12", "RGBA_8888, 1, 4", "RGBA_8888, 7, 28"
    })
    void strideIsRowBytesRoundedUpToFour(PixelFormat format, int width, long stride) {
        Pixmap pixmap = Pixmap.allocate(arena, width, 3, format);

        assertEquals(width, pixmap.width());
        assertEquals(3, pixmap.height());
        assertEquals(format, pixmap.format());
        assertEquals(stride, pixmap.stride());
        assertEquals(stride * 3, pixmap.byteSize());
        assertEquals(stride * 3, pixmap.segment().byteSize());
    }

    @ParameterizedTest
    @EnumSource(PixelFormat.class)
    void newPixmapIsZeroedAndReadsAsTransparentBlackOrBlack(PixelFormat format) {
        Pixmap pixmap = Pixmap.allocate(arena, 5, 3, format);
        int expected = format == PixelFormat.GRAY_8 ? 0xFF000000 : 0;

        for (long i = 0; i < pixmap.byteSize(); i++) {
            assertEquals(0, pixmap.segment().get(ValueLayout.JAVA_BYTE, i), "byte " + i);
        }
        forEachPixel(pixmap, (x, y) -> assertEquals(expected, pixmap.getArgb(x, y), at(x, y)));
    }

    @ParameterizedTest
    @EnumSource(PixelFormat.class)
    void segmentStartsOnA64ByteBoundary(PixelFormat format) {
        for (int width = 1; width <= 9; width++) {
            assertEquals(0, Pixmap.allocate(arena, width, 1, format).segment().address() % 64, "width " + width);
        }
    }

    // ------------------------------------------------------------------ pixel conversions

    @Test
    void bgraPremultipliedStoresPremultipliedBlueGreenRedAlphaBytes() {
        Pixmap pixmap = Pixmap.allocate(arena, 2, 1, PixelFormat.BGRA_8888_PRE);

        pixmap.setArgb(1, 0, 0x80FF4020);

        // 0x20 * 128 / 255 = 16.06, 0x40 * 128 / 255 = 32.13, 0xFF * 128 / 255 = 128
        assertBytes(pixmap, 4, 16, 32, 128, 128);
        assertBytes(pixmap, 0, 0, 0, 0, 0);
    }

    @Test
    void bgraPremultipliedStoresOpaqueColoursUnchanged() {
        Pixmap pixmap = Pixmap.allocate(arena, 1, 1, PixelFormat.BGRA_8888_PRE);

        pixmap.setArgb(0, 0, 0xFF123456);

        assertBytes(pixmap, 0, 0x56, 0x34, 0x12, 0xFF);
        assertEquals(0xFF123456, pixmap.getArgb(0, 0));
    }

    @Test
    void bgraPremultipliedReadsTransparentPixelAsZero() {
        Pixmap pixmap = Pixmap.allocate(arena, 1, 1, PixelFormat.BGRA_8888_PRE);

        pixmap.setArgb(0, 0, 0x00FFFFFF);

        assertBytes(pixmap, 0, 0, 0, 0, 0);
        assertEquals(0, pixmap.getArgb(0, 0));
    }

    @Test
    void rgbaStoresStraightRedGreenBlueAlphaBytes() {
        Pixmap pixmap = Pixmap.allocate(arena, 2, 1, PixelFormat.RGBA_8888);

        pixmap.setArgb(1, 0, 0x80FF4020);

        assertBytes(pixmap, 4, 0xFF, 0x40, 0x20, 0x80);
        assertEquals(0x80FF4020, pixmap.getArgb(1, 0));
    }

    @Test
    void grayStoresQtGrayAndReadsOpaqueGray() {
        Pixmap pixmap = Pixmap.allocate(arena, 5, 2, PixelFormat.GRAY_8);

        pixmap.setArgb(4, 1, 0x80123456);

        // (11 * 0x12 + 16 * 0x34 + 5 * 0x56) / 32 = 1460 / 32 = 45; alpha is dropped
        assertEquals(45, pixmap.segment().get(ValueLayout.JAVA_BYTE, pixmap.stride() + 4));
        assertEquals(0xFF2D2D2D, pixmap.getArgb(4, 1));
        assertEquals(0xFF000000, pixmap.getArgb(3, 1));
    }

    @Test
    void grayRoundsLuminanceDownForEveryPrimary() {
        Pixmap pixmap = Pixmap.allocate(arena, 4, 1, PixelFormat.GRAY_8);

        pixmap.setArgb(0, 0, 0xFFFF0000);
        pixmap.setArgb(1, 0, 0xFF00FF00);
        pixmap.setArgb(2, 0, 0xFF0000FF);
        pixmap.setArgb(3, 0, 0xFFFFFFFF);

        assertEquals(Argb.fromGray(255 * 11 / 32), pixmap.getArgb(0, 0));
        assertEquals(Argb.fromGray(255 * 16 / 32), pixmap.getArgb(1, 0));
        assertEquals(Argb.fromGray(255 * 5 / 32), pixmap.getArgb(2, 0));
        assertEquals(0xFFFFFFFF, pixmap.getArgb(3, 0));
    }

    @Test
    void bgraPremultipliedStoresTheRoundedPremultiplicationOfEveryColourAndAlpha() {
        Pixmap pixmap = everyAlphaAndChannelWritten(PixelFormat.BGRA_8888_PRE);

        forEachPixel(pixmap, (x, y) -> {
            int straight = colour(y, x);
            int stored = pixmap.segment().get(PIXEL_32, offset(pixmap, x, y));
            int read = pixmap.getArgb(x, y);

            assertEquals(roundedPremultiply(straight), stored, at(x, y));
            assertEquals(stored, Argb.premultiply(read), at(x, y));
            if (y == 0) {
                assertEquals(0, read, at(x, y));
            } else {
                assertEquals(y, read >>> 24, at(x, y));
            }
            if (y == 255) {
                assertEquals(straight, read, at(x, y));
            }
        });
    }

    @Test
    void bgraPremultipliedRewritesEveryValidPremultipliedPixelUnchanged() {
        Pixmap pixmap = Pixmap.allocate(arena, 256, 256, PixelFormat.BGRA_8888_PRE);
        // (x, y) holds alpha y and channels derived from x, kept at or below alpha
        forEachPixel(pixmap, (x, y) -> {
            int p = x % (y + 1);
            int premultiplied = y << 24 | (y - p) << 16 | p << 8 | (p * 7) % (y + 1);
            pixmap.segment().set(PIXEL_32, offset(pixmap, x, y), premultiplied);
        });
        Pixmap original = copyOf(pixmap);

        forEachPixel(pixmap, (x, y) -> pixmap.setArgb(x, y, pixmap.getArgb(x, y)));

        long mismatch = pixmap.segment().mismatch(original.segment());
        assertEquals(-1, mismatch, () -> "rewritten pixel differs at "
                + at((int) (mismatch % pixmap.stride()) / 4, (int) (mismatch / pixmap.stride())));
    }

    /**
     * The straight to premultiplied to straight error bound, per channel, for alpha a in 1..254.
     * Premultiplying stores p = floor((c a + 127) / 255), so |255 p - c a| <= 127 and p * 255 / a
     * is within 127 / a of c. Unpremultiplying computes floor((255 p + floor(a / 2)) / a), which
     * lies in [x - (a - 1 - floor(a / 2)) / a, x + floor(a / 2) / a] for x = 255 p / a. Adding the
     * two, the error is at most (127 + floor(a / 2)) / a (the larger side), and being an integer,
     * at most floor((127 + floor(a / 2)) / a); clamping at 255 only brings the result closer to c.
     * With this rounding the bound is reached for every alpha in 1..254, so it cannot be tightened.
     */
    @Test
    void bgraPremultipliedRoundTripErrorIsWithinTheRoundingBound() {
        Pixmap pixmap = everyAlphaAndChannelWritten(PixelFormat.BGRA_8888_PRE);

        for (int a = 1; a < 255; a++) {
            int bound = (127 + a / 2) / a;
            int worst = 0;
            for (int c = 0; c < 256; c++) {
                int straight = colour(a, c);
                int read = pixmap.getArgb(c, a);
                for (int shift = 0; shift < 24; shift += 8) {
                    worst = Math.max(worst, Math.abs(channel(read, shift) - channel(straight, shift)));
                }
            }
            assertTrue(worst <= bound, "alpha " + a + ": error " + worst + " above the bound " + bound);
        }
    }

    @Test
    void rgbaRoundTripIsExactForEveryAlphaAndChannel() {
        Pixmap pixmap = everyAlphaAndChannelWritten(PixelFormat.RGBA_8888);

        forEachPixel(pixmap, (x, y) -> {
            assertEquals(colour(y, x), pixmap.getArgb(x, y), at(x, y));
            assertEquals(Argb.swapRedBlue(colour(y, x)), pixmap.segment().get(PIXEL_32, offset(pixmap, x, y)));
        });
    }

    // ------------------------------------------------------------------ Argb conversions

    @Test
    void premultiplyRoundsEveryChannelToNearest() {
        for (int a = 0; a < 256; a++) {
            for (int c = 0; c < 256; c++) {
                int straight = colour(a, c);
                assertEquals(roundedPremultiply(straight), Argb.premultiply(straight), "alpha " + a + " c " + c);
            }
        }
    }

    @Test
    void unpremultiplyRoundsToNearestAndInvertsPremultiplyForEveryValidPixel() {
        for (int a = 1; a < 256; a++) {
            for (int p = 0; p <= a; p++) {
                int premultiplied = a << 24 | p << 16 | (a - p) << 8 | p / 2;
                int straight = Argb.unpremultiply(premultiplied);

                assertEquals(premultiplied, Argb.premultiply(straight), "alpha " + a + " p " + p);
                assertEquals(a, straight >>> 24);
                for (int shift = 0; shift < 24; shift += 8) {
                    long nearest = Math.round(channel(premultiplied, shift) * 255.0 / a);
                    assertEquals(nearest, channel(straight, shift), "alpha " + a + " p " + p + " shift " + shift);
                }
            }
        }
    }

    @Test
    void unpremultiplyMapsEveryTransparentPixelToZero() {
        for (int rgb = 0; rgb <= 0xFFFFFF; rgb += 0x010305) {
            assertEquals(0, Argb.unpremultiply(rgb));
        }
        assertEquals(0, Argb.unpremultiply(0x00FFFFFF));
    }

    @Test
    void unpremultiplyClampsChannelsAboveAlpha() {
        // alpha 16: red 255 and green 32 exceed it and clamp to 255; blue 8 becomes 8 * 255 / 16 = 127.5, rounded up
        assertEquals(0x10FFFF80, Argb.unpremultiply(0x10FF2008));
    }

    @Test
    void swapRedBlueExchangesOnlyRedAndBlue() {
        assertEquals(0x80204010, Argb.swapRedBlue(0x80104020));
        assertEquals(0x80104020, Argb.swapRedBlue(Argb.swapRedBlue(0x80104020)));
    }

    @Test
    void grayIgnoresAlphaAndFromGrayIsOpaque() {
        assertEquals(45, Argb.gray(0x00123456));
        assertEquals(45, Argb.gray(0xFF123456));
        assertEquals(0xFF2D2D2D, Argb.fromGray(45));
    }

    // ------------------------------------------------------------------ fill

    @ParameterizedTest
    @MethodSource("formatsAndOddSizes")
    void fillSetsEveryPixelToTheColour(PixelFormat format, int width, int height) {
        int colour = 0x80336699;
        Pixmap reference = Pixmap.allocate(arena, 1, 1, format);
        reference.setArgb(0, 0, colour);
        Pixmap pixmap = Pixmap.allocate(arena, width, height, format);
        pixmap.setArgb(width - 1, height - 1, 0xFFFFFFFF);

        pixmap.fill(colour);

        forEachPixel(pixmap, (x, y) -> {
            assertEquals(reference.getArgb(0, 0), pixmap.getArgb(x, y), at(x, y));
            for (int i = 0; i < format.bytesPerPixel(); i++) {
                assertEquals(reference.segment().get(ValueLayout.JAVA_BYTE, i),
                        pixmap.segment().get(ValueLayout.JAVA_BYTE, offset(pixmap, x, y) + i), at(x, y) + " byte " + i);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(PixelFormat.class)
    void fillWithOpaqueColourReadsBackExactlyOrAsItsGray(PixelFormat format) {
        Pixmap pixmap = Pixmap.allocate(arena, 3, 5, format);
        int expected = format == PixelFormat.GRAY_8 ? Argb.fromGray(Argb.gray(0xFF336699)) : 0xFF336699;

        pixmap.fill(0xFF336699);

        forEachPixel(pixmap, (x, y) -> assertEquals(expected, pixmap.getArgb(x, y), at(x, y)));
    }

    static Stream<Arguments> formatsAndOddSizes() {
        return Stream.of(PixelFormat.values()).flatMap(format -> Stream.of(
                Arguments.of(format, 3, 5), Arguments.of(format, 1, 1), Arguments.of(format, 7, 1),
                Arguments.of(format, 1, 7), Arguments.of(format, 5, 3)));
    }

    // ------------------------------------------------------------------ contentEquals

    @ParameterizedTest
    @EnumSource(PixelFormat.class)
    void pixmapsWithEqualPixelsAreContentEqual(PixelFormat format) {
        Pixmap a = painted(format, 5, 3);
        Pixmap b = painted(format, 5, 3);

        assertTrue(a.contentEquals(b));
        assertTrue(b.contentEquals(a));
        assertTrue(a.contentEquals(a));
    }

    @ParameterizedTest
    @MethodSource("everyPixelOfFiveByThree")
    void pixmapsDifferingInOnePixelAreNotContentEqual(PixelFormat format, int x, int y) {
        Pixmap a = painted(format, 5, 3);
        Pixmap b = painted(format, 5, 3);

        b.setArgb(x, y, 0xFF000000 | ~a.getArgb(x, y));

        assertFalse(a.contentEquals(b));
        assertFalse(b.contentEquals(a));
    }

    static Stream<Arguments> everyPixelOfFiveByThree() {
        return Stream.of(PixelFormat.values()).flatMap(format -> Stream.of(new int[][] {
            {0, 0}, {4, 0}, {2, 1}, {0, 2}, {4, 2}
        }).map(xy -> Arguments.of(format, xy[0], xy[1])));
    }

    @ParameterizedTest
    @EnumSource(PixelFormat.class)
    void pixmapsOfDifferentSizesAreNotContentEqual(PixelFormat format) {
        Pixmap pixmap = Pixmap.allocate(arena, 4, 4, format);

        assertFalse(pixmap.contentEquals(Pixmap.allocate(arena, 4, 5, format)));
        assertFalse(pixmap.contentEquals(Pixmap.allocate(arena, 5, 4, format)));
        assertFalse(pixmap.contentEquals(Pixmap.allocate(arena, 2, 8, format)));
    }

    @Test
    void pixmapsOfDifferentFormatsAreNotContentEqual() {
        Pixmap premultiplied = Pixmap.allocate(arena, 4, 4, PixelFormat.BGRA_8888_PRE);
        Pixmap straight = Pixmap.allocate(arena, 4, 4, PixelFormat.RGBA_8888);

        assertFalse(premultiplied.contentEquals(straight));
        assertFalse(straight.contentEquals(premultiplied));
    }

    @Test
    void grayPaddingBytesDoNotCountForContentEquality() {
        Pixmap a = painted(PixelFormat.GRAY_8, 5, 3);
        Pixmap b = painted(PixelFormat.GRAY_8, 5, 3);
        for (int y = 0; y < 3; y++) {
            for (int padding = 5; padding < 8; padding++) {
                b.segment().set(ValueLayout.JAVA_BYTE, y * b.stride() + padding, (byte) (0x7F + y + padding));
            }
        }

        assertTrue(a.contentEquals(b));
        assertTrue(b.contentEquals(a));
    }

    @Test
    void grayLastVisibleColumnOfTheLastRowStillCounts() {
        Pixmap a = painted(PixelFormat.GRAY_8, 5, 3);
        Pixmap b = painted(PixelFormat.GRAY_8, 5, 3);

        long lastVisible = 2 * b.stride() + 4;
        byte visible = b.segment().get(ValueLayout.JAVA_BYTE, lastVisible);
        b.segment().set(ValueLayout.JAVA_BYTE, lastVisible, (byte) ~visible);

        assertFalse(a.contentEquals(b));
    }

    // ------------------------------------------------------------------ lifetime

    @ParameterizedTest
    @MethodSource("pixelAccesses")
    void everyPixelAccessThrowsAfterTheArenaCloses(Consumer<Pixmap> access) {
        Pixmap open = Pixmap.allocate(arena, 3, 2, PixelFormat.BGRA_8888_PRE);
        Pixmap closed;
        try (Arena scoped = Arena.ofConfined()) {
            closed = Pixmap.allocate(scoped, 3, 2, PixelFormat.BGRA_8888_PRE);
        }

        assertThrows(IllegalStateException.class, () -> access.accept(closed));
        assertThrows(IllegalStateException.class, () -> open.contentEquals(closed));
    }

    static Stream<Named<Consumer<Pixmap>>> pixelAccesses() {
        return Stream.of(
                Named.of("getArgb", p -> p.getArgb(1, 1)),
                Named.of("setArgb", p -> p.setArgb(1, 1, 0xFF102030)),
                Named.of("fill", p -> p.fill(0xFF102030)),
                Named.of("contentEquals", p -> p.contentEquals(p)),
                Named.of("segment get", p -> p.segment().get(ValueLayout.JAVA_BYTE, 0)),
                Named.of("segment set", p -> p.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 1)));
    }

    // ------------------------------------------------------------------ helpers

    /** A 256x256 pixmap whose pixel (x, y) was set to {@code colour(y, x)}: every alpha and channel value. */
    private Pixmap everyAlphaAndChannelWritten(PixelFormat format) {
        Pixmap pixmap = Pixmap.allocate(arena, 256, 256, format);
        forEachPixel(pixmap, (x, y) -> pixmap.setArgb(x, y, colour(y, x)));
        return pixmap;
    }

    /** Alpha {@code a}; red {@code c}, green and blue other values, so that each channel takes all 256. */
    private static int colour(int a, int c) {
        return a << 24 | c << 16 | (255 - c) << 8 | (c * 37) & 0xFF;
    }

    /** Premultiplication rounded to nearest, computed independently of the code under test. */
    private static int roundedPremultiply(int argb) {
        int a = argb >>> 24;
        int result = a << 24;
        for (int shift = 0; shift < 24; shift += 8) {
            result |= (int) Math.round(channel(argb, shift) * a / 255.0) << shift;
        }
        return result;
    }

    private static int channel(int argb, int shift) {
        return (argb >>> shift) & 0xFF;
    }

    /** A pixmap with a distinct colour in every pixel. */
    private Pixmap painted(PixelFormat format, int width, int height) {
        Pixmap pixmap = Pixmap.allocate(arena, width, height, format);
        forEachPixel(pixmap, (x, y) -> pixmap.setArgb(x, y, 0xFF000000 | x * 0x3F1 + y * 0x1C9A3 + 0x050505));
        return pixmap;
    }

    private Pixmap copyOf(Pixmap pixmap) {
        Pixmap copy = Pixmap.allocate(arena, pixmap.width(), pixmap.height(), pixmap.format());
        MemorySegment.copy(pixmap.segment(), 0, copy.segment(), 0, pixmap.byteSize());
        return copy;
    }

    private static void assertBytes(Pixmap pixmap, long offset, int... expected) {
        for (int i = 0; i < expected.length; i++) {
            long index = offset + i;
            assertEquals((byte) expected[i], pixmap.segment().get(ValueLayout.JAVA_BYTE, index), "byte " + index);
        }
    }

    private static long offset(Pixmap pixmap, int x, int y) {
        return y * pixmap.stride() + (long) x * pixmap.format().bytesPerPixel();
    }

    private static String at(int x, int y) {
        return "pixel (" + x + ", " + y + ")";
    }

    private interface PixelVisitor {
        void visit(int x, int y);
    }

    private static void forEachPixel(Pixmap pixmap, PixelVisitor visitor) {
        for (int y = 0; y < pixmap.height(); y++) {
            for (int x = 0; x < pixmap.width(); x++) {
                visitor.visit(x, y);
            }
        }
    }
}
