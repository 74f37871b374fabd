package io.github.pixmapcache.internal.imageio;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapAllocationException;
import io.github.pixmapcache.PixmapAllocator;
import io.github.pixmapcache.imageio.ReadOptions;
import java.awt.Rectangle;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes what an {@code ImageIO} reader reads into a pixmap from a {@link PixmapAllocator}, without
 * a full-frame {@code BufferedImage} on the heap. The header is checked against the limits before
 * the pixmap is allocated. Then one of two ways:
 * <ul>
 *   <li><b>In place</b> (JPEG and PNG whose natural type is 8-bit sRGB, sRGB with straight alpha,
 *       or gray): the reader decodes into a {@code BufferedImage} whose raster is the pixmap's own
 *       memory ({@link PixmapImages}), then one pass premultiplies or spreads gray over the
 *       channels. These two readers write their destination row by row through the raster (checked
 *       in their sources), so nothing but their line buffers is on the heap.</li>
 *   <li><b>In one pass</b> (PNG, GIF and JPEG of any other type: palettes, 16 bits, CMYK, gray
 *       with alpha): the reader decodes the whole image once in its own type, on the heap when
 *       that takes at most {@link #MAXIMUM_HEAP_FRAME_BYTES} (a palette image of 64 Mpixels), else
 *       into a {@link NativeFrame} (native memory, at most {@link #MAXIMUM_FRAME_BYTES}, freed
 *       before returning), and {@link RowConverter} converts it row by row into the pixmap. These
 *       readers decode from the file's start again for every source region, so bands would cost
 *       work quadratic in the height.</li>
 *   <li><b>In bands</b> (every other reader: BMP and WBMP seek to a band's rows, TIFF decodes only
 *       the strips or tiles of a band, checked first by {@link TiffLimits}): {@code
 *       ImageReadParam.setSourceRegion} reads about {@link #BAND_PIXELS} source pixels at a time in
 *       the reader's own type, on the heap, and each band is converted through its color model.</li>
 * </ul>
 * Warnings (libjpeg's "premature end of JPEG file" for a truncated file) fail the decode: a
 * half-gray image must not be cached as if it were the picture.
 */
public final class ImageDecoder {
    /** Source pixels per band: 16 MiB as the int pixels of a band, whatever the width. */
    static final int BAND_PIXELS = 1 << 22;
    /** Readers known to write a destination through its raster row by row (JDK sources checked). */
    private static final Set<String> IN_PLACE_FORMATS = Set.of("jpeg", "png");
    /**
     * Readers that decode from the file's start again for every band (PNG and GIF inflate every row
     * before the band, JPEG every scan line) and write their destination through its raster (JDK
     * sources checked): they decode the whole image once into a {@link NativeFrame}.
     */
    private static final Set<String> ONE_PASS_FORMATS = Set.of("jpeg", "png", "gif");
    private static final Set<String> TIFF_FORMATS = Set.of("tif", "tiff");
    /**
     * The most heap a one-pass frame in the reader's own type takes (an 8192x8192 palette image);
     * larger ones go to a {@link NativeFrame}, where the PNG reader writes pixel by pixel.
     */
    static final long MAXIMUM_HEAP_FRAME_BYTES = 64L << 20;
    /** The most native memory a {@link NativeFrame} takes: 2^28 pixels of 16-bit RGB fit. */
    static final long MAXIMUM_FRAME_BYTES = Integer.MAX_VALUE;

    private final String source;
    private final ReadOptions options;

    /** @param source names the input in every exception (a path, a key) */
    public ImageDecoder(String source, ReadOptions options) {
        this.source = source;
        this.options = options;
    }

    /**
     * Decodes the first image of {@code in} into a pixmap from {@code allocator}.
     *
     * @throws IOException naming the source and the problem: no reader, a malformed or truncated
     *     file, a size above the limits (before any allocation for pixels)
     * @throws PixmapAllocationException if the allocator has no memory for the pixels
     */
    public Pixmap decode(ImageInputStream in, PixmapAllocator allocator) throws IOException {
        if (in == null) {
            throw new IOException(source + ": cannot be opened as an image input stream");
        }
        Iterator<ImageReader> readers = header(() -> ImageIO.getImageReaders(in), "image");
        if (!readers.hasNext()) {
            throw new IOException(source + ": not an image format ImageIO reads here (it reads "
                    + String.join(", ", ImageIO.getReaderFormatNames()) + ")");
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        IIOReadWarningListener warningListener = (r, warning) -> warnings.add(warning);
        reader.addIIOReadWarningListener(warningListener);
        try {
            String format = reader.getFormatName().toLowerCase(Locale.ROOT);
            reader.setInput(in, false, true);  // bands seek back to the image for every band
            int width = header(() -> reader.getWidth(0), format);
            int height = header(() -> reader.getHeight(0), format);
            ImageTypeSpecifier type = header(() -> firstType(reader), format);
            checkPixels(width, height, format);
            int bandAlignment = TIFF_FORMATS.contains(format)
                    ? header(() -> TiffLimits.check(reader, source, width, height), format).unitRows()
                    : 1;
            Pixmap target = allocate(allocator, width, height, format);
            int[] bandOffsets = IN_PLACE_FORMATS.contains(format) ? inPlaceBands(type, options.format()) : null;
            try {
                if (bandOffsets != null) {
                    decodeInPlace(reader, target, bandOffsets, type);
                } else if (!ONE_PASS_FORMATS.contains(format) || !decodeInOnePass(reader, target, type, width, height)) {
                    decodeInBands(reader, target, width, height, bandAlignment);
                }
            } catch (IOException e) {
                throw malformed(format, e);
            } catch (RuntimeException e) {  // readers throw unchecked exceptions on some corrupt data
                if (e instanceof PixmapAllocationException || e instanceof IllegalStateException) {
                    throw e;
                }
                throw malformed(format, e);
            }
            if (!warnings.isEmpty()) {
                throw new IOException(source + ": damaged " + format + " data: " + String.join("; ", warnings));
            }
            return target;
        } finally {
            reader.removeIIOReadWarningListener(warningListener);
            reader.dispose();
        }
    }

    private void checkPixels(int width, int height, String format) throws IOException {
        if (width <= 0 || height <= 0) {
            throw new IOException(source + ": the " + format + " header declares an empty image of "
                    + width + "x" + height + " pixels");
        }
        long pixels = (long) width * height;
        if (pixels > options.maximumPixels()) {
            throw new IOException(source + ": the " + format + " header declares " + width + "x" + height
                    + " = " + pixels + " pixels, above the limit of " + options.maximumPixels()
                    + " (ReadOptions.maximumPixels)");
        }
    }

    private Pixmap allocate(PixmapAllocator allocator, int width, int height, String format) throws IOException {
        int n = options.subsampling();
        int outWidth = (width + n - 1) / n;
        int outHeight = (height + n - 1) / n;
        PixelFormat pixelFormat = options.format();
        long stride = ((long) outWidth * pixelFormat.bytesPerPixel() + 3) & -4L;  // Pixmap's stride rule
        long bytes = stride * outHeight;
        long limit = Math.min(options.maximumBytes(), ReadOptions.DEFAULT_MAXIMUM_BYTES);
        if (bytes > limit) {
            throw new IOException(source + ": a " + outWidth + "x" + outHeight + " " + pixelFormat + " pixmap of this "
                    + width + "x" + height + " " + format + " image needs " + bytes + " bytes, above the limit of "
                    + limit + (limit == options.maximumBytes() ? " (ReadOptions.maximumBytes)" : " (a pixmap's maximum)"));
        }
        return allocator.allocate(outWidth, outHeight, pixelFormat);
    }

    // ------------------------------------------------------------------ in place

    /**
     * Byte offsets in the target's pixels for the bands of {@code type}, or null when the type's
     * samples are not plain 8-bit sRGB (alpha straight) or gray, or do not fit the target format.
     */
    private static int[] inPlaceBands(ImageTypeSpecifier type, PixelFormat target) {
        ColorModel model = type.getColorModel();
        if (!(model instanceof ComponentColorModel) || model.getTransferType() != DataBuffer.TYPE_BYTE
                || model.isAlphaPremultiplied() || type.getSampleModel().getNumBands() != model.getNumComponents()) {
            return null;
        }
        for (int size : model.getComponentSize()) {
            if (size != 8) {
                return null;
            }
        }
        ColorSpace space = model.getColorSpace();
        int bands = model.getNumComponents();
        if (space.getType() == ColorSpace.TYPE_GRAY && bands == 1) {
            return new int[] {0};  // 4-byte targets: byte 0, spread over the channels afterwards
        }
        if (!space.isCS_sRGB() || (bands != 3 && bands != 4) || target == PixelFormat.GRAY_8) {
            return null;
        }
        boolean bgra = target == PixelFormat.BGRA_8888_PRE;
        if (bands == 3) {
            return bgra ? new int[] {2, 1, 0} : new int[] {0, 1, 2};
        }
        return bgra ? new int[] {2, 1, 0, 3} : new int[] {0, 1, 2, 3};
    }

    private void decodeInPlace(ImageReader reader, Pixmap target, int[] bandOffsets, ImageTypeSpecifier type)
            throws IOException {
        boolean gray = bandOffsets.length == 1;
        if (bandOffsets.length == 3) {
            target.fill(0xFF000000);  // opaque: the reader writes R, G, B and leaves alpha at 255
        }
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(options.subsampling(), options.subsampling(), 0, 0);
        param.setDestination(PixmapImages.view(Region.of(target), bandOffsets));
        reader.read(0, param);
        PixmapRows rows = new PixmapRows(target);
        if (gray && target.format() != PixelFormat.GRAY_8) {
            for (int y = 0; y < target.height(); y++) {
                rows.expandGrayInPlace(y);
            }
        } else if (bandOffsets.length == 4 && target.format() == PixelFormat.BGRA_8888_PRE) {
            for (int y = 0; y < target.height(); y++) {
                rows.premultiplyInPlace(y);
            }
        }
    }

    // ------------------------------------------------------------------ in bands

    /**
     * Decodes the whole image in one reader pass into a {@link NativeFrame} of the reader's own
     * type, then converts it row by row; false (nothing decoded) when the type has no native frame.
     */
    private boolean decodeInOnePass(ImageReader reader, Pixmap target, ImageTypeSpecifier type, int width, int height)
            throws IOException {
        int n = options.subsampling();
        int frameWidth = (width + n - 1) / n;
        int frameHeight = (height + n - 1) / n;
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(n, n, 0, 0);
        RowConverter rows = new RowConverter(target);
        if (NativeFrame.bytes(type, frameWidth, frameHeight) <= MAXIMUM_HEAP_FRAME_BYTES) {
            // Small in the reader's own type (a palette: a byte a pixel or less): on the heap, where
            // the readers write whole rows into their own raster class (the PNG reader's setRect).
            BufferedImage frame = reader.read(0, param);
            for (int y = 0; y < Math.min(frame.getHeight(), target.height()); y++) {
                rows.convert(frame, y, y, Math.min(frame.getWidth(), target.width()));
            }
            return true;
        }
        try (NativeFrame frame = NativeFrame.of(type, frameWidth, frameHeight, MAXIMUM_FRAME_BYTES)) {
            if (frame == null) {
                return false;
            }
            param.setDestination(frame.image());
            reader.read(0, param);
            for (int y = 0; y < frame.height(); y++) {
                rows.convert(frame.row(y), 0, y, target.width());
            }
            return true;
        }
    }

    /**
     * Decodes in bands of about {@link #BAND_PIXELS} source pixels, whole multiples of
     * {@code alignment} rows (a TIFF's strip or tile height, so that each is decoded once).
     */
    private void decodeInBands(ImageReader reader, Pixmap target, int width, int height, int alignment)
            throws IOException {
        int n = options.subsampling();
        // A multiple of the subsampling, so that every band starts on a kept row, and of the alignment.
        long unit = (long) n * alignment / gcd(n, alignment);
        long wanted = Math.max(1, BAND_PIXELS / width);
        int bandRows = (int) Math.min(height + unit, (wanted + unit - 1) / unit * unit);
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(n, n, 0, 0);
        RowConverter rows = new RowConverter(target);
        for (int top = 0; top < height; top += bandRows) {
            param.setSourceRegion(new Rectangle(0, top, width, Math.min(bandRows, height - top)));
            BufferedImage band = reader.read(0, param);
            int targetTop = top / n;
            int bandWidth = Math.min(band.getWidth(), target.width());
            for (int y = 0; y < band.getHeight() && targetTop + y < target.height(); y++) {
                rows.convert(band, y, targetTop + y, bandWidth);
            }
        }
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    // ------------------------------------------------------------------ errors

    private static ImageTypeSpecifier firstType(ImageReader reader) throws IOException {
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        if (!types.hasNext()) {
            throw new IIOException("the reader offers no image type for it");
        }
        return types.next();
    }

    private <T> T header(HeaderRead<T> read, String format) throws IOException {
        try {
            return read.get();
        } catch (IOException | RuntimeException e) {  // some readers throw unchecked exceptions on bad headers
            if (e instanceof IOException && String.valueOf(e.getMessage()).startsWith(source + ": ")) {
                throw (IOException) e;  // ours, from a limit check: already says it all
            }
            throw new IOException(source + ": malformed or truncated " + format + " header: " + describe(e), e);
        }
    }

    private IOException malformed(String format, Exception e) {
        return new IOException(source + ": malformed or truncated " + format + " data: " + describe(e), e);
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e instanceof EOFException
                ? "the data ends before the image does (" + e.getClass().getSimpleName() + ")"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append(')');
        }
        return text.toString();
    }

    @FunctionalInterface
    private interface HeaderRead<T> {
        T get() throws IOException;
    }
}
