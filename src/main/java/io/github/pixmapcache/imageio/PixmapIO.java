package io.github.pixmapcache.imageio;

import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapAllocationException;
import io.github.pixmapcache.PixmapAllocator;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLoader;
import io.github.pixmapcache.internal.imageio.BufferedImages;
import io.github.pixmapcache.internal.imageio.ImageDecoder;
import io.github.pixmapcache.internal.imageio.JpegEncoder;
import io.github.pixmapcache.internal.imageio.PngEncoder;
import io.github.pixmapcache.internal.imageio.Region;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Image files in and out of pixmaps.
 *
 * <p><b>Decoding</b> ({@link #read(Path, PixmapAllocator)}, {@link #decoding(Function)}): anything
 * {@code ImageIO} reads, straight into memory from a {@link PixmapAllocator}, so that inside
 * {@link PixmapCache#computeIfAbsent} the decoded pixels become the cached pixmap without a copy.
 * No full-frame ARGB {@code BufferedImage} is made: 8-bit sRGB and gray JPEG and PNG decode into
 * the pixmap's memory; other PNG, GIF and JPEG in one pass in the reader's own type (a palette
 * frame of up to 64 MiB on the heap, larger ones in native memory freed before returning); BMP,
 * WBMP and TIFF in bands of a few megapixels. The work is linear in the pixels. Sizes are checked
 * against {@link ReadOptions}' limits, and a TIFF's strips and tiles against 64 MiB a row, before
 * the pixmap is allocated.
 *
 * <p><b>Encoding</b>: PNG straight from native memory, row by row, for a whole pixmap or any region
 * of it (a tile of a larger metatile is encoded where it lies, never cut out first); JPEG through
 * {@code ImageIO}, fed scan line by scan line from the pixmap's memory.
 *
 * <p>Everything here but PNG encoding needs the module {@code java.desktop} at run time.
 */
public final class PixmapIO {
    /**
     * The compression {@link #writePng(Pixmap, OutputStream)} uses: automatic, zlib level 4 for rows
     * of drawn graphics (maps, icons, text) and level 1 for photographic rows, where higher levels
     * cost twice the time for little gain. bench/RESULTS.md ("PNG encoding") measures it against
     * {@code ImageIO.write}.
     */
    public static final int DEFAULT_PNG_COMPRESSION = PngEncoder.AUTOMATIC;

    private PixmapIO() {}

    // ------------------------------------------------------------------ decoding

    /**
     * Decodes the first image of a file as {@code BGRA_8888_PRE}, full size, with the
     * {@linkplain ReadOptions#defaults() default limits}; see {@link #read(Path, PixmapAllocator, ReadOptions)}.
     *
     * @param file the image file, in any format {@code ImageIO} reads
     * @param allocator the memory the pixels are decoded into, e.g. the allocator a
     *     {@link PixmapLoader} is given
     * @return the decoded pixmap, in memory from {@code allocator}
     * @throws IOException naming the file and the problem: missing ({@link NoSuchFileException}), not
     *     an image format read here, malformed or truncated, an empty image, or above the default
     *     limits (checked on the header, before the pixels are allocated)
     * @throws PixmapAllocationException if the allocator has no memory for the pixels
     */
    public static Pixmap read(Path file, PixmapAllocator allocator) throws IOException {
        return read(file, allocator, ReadOptions.defaults());
    }

    /**
     * Decodes the first image of a stream as {@code BGRA_8888_PRE}, full size, with the
     * {@linkplain ReadOptions#defaults() default limits}; see {@link #read(InputStream, PixmapAllocator, ReadOptions)}.
     *
     * @param in the encoded image, read to the end of the image but not closed
     * @param allocator the memory the pixels are decoded into
     * @return the decoded pixmap, in memory from {@code allocator}
     * @throws IOException naming the stream and the problem: {@code in} throws, not an image format
     *     read here, malformed or truncated, an empty image, or above the default limits (checked on
     *     the header, before the pixels are allocated)
     * @throws PixmapAllocationException if the allocator has no memory for the pixels
     */
    public static Pixmap read(InputStream in, PixmapAllocator allocator) throws IOException {
        return read(in, allocator, ReadOptions.defaults());
    }

    /**
     * Decodes the first image of a file (any format {@code ImageIO} reads) into a pixmap from
     * {@code allocator}.
     *
     * @param file the image file; a file of another file system than the default one (a zip, an
     *     in-memory one) is read through a stream and cached on the heap while decoding
     * @param allocator the memory the pixels are decoded into, e.g. the allocator a
     *     {@link PixmapLoader} is given
     * @param options the result's pixel format and subsampling, and the limits the file's header is
     *     checked against
     * @return the decoded pixmap, in {@code options.format()}, of {@code ceil(width / subsampling)} x
     *     {@code ceil(height / subsampling)} pixels, in memory from {@code allocator}
     * @throws IOException naming the file and the problem: missing or not a regular file
     *     ({@link NoSuchFileException}), not an image format read here, malformed or truncated, an
     *     empty image, or more pixels than {@link ReadOptions#maximumPixels()} or a result of more
     *     bytes than {@link ReadOptions#maximumBytes()} (checked on the header, before the pixels are
     *     allocated)
     * @throws PixmapAllocationException if the allocator has no memory for the pixels
     */
    public static Pixmap read(Path file, PixmapAllocator allocator, ReadOptions options) throws IOException {
        Objects.requireNonNull(file, "file must not be null");
        requireDecodeArguments(allocator, options);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file to decode");
        }
        if (file.getFileSystem() != FileSystems.getDefault()) {  // a zip or in-memory file system: no java.io.File
            try (InputStream in = Files.newInputStream(file); ImageInputStream stream = new MemoryCacheImageInputStream(in)) {
                return new ImageDecoder(file.toString(), options).decode(stream, allocator);
            }
        }
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            return new ImageDecoder(file.toString(), options).decode(in, allocator);
        }
    }

    /**
     * Decodes the first image of a stream, which is read to its end of the image but not closed;
     * see {@link #read(Path, PixmapAllocator, ReadOptions)}. The compressed bytes are cached on the
     * heap while decoding (formats read in bands seek back).
     *
     * @param in the encoded image, read to the end of the image but not closed
     * @param allocator the memory the pixels are decoded into
     * @param options the result's pixel format and subsampling, and the limits the header is checked
     *     against
     * @return the decoded pixmap, in {@code options.format()}, in memory from {@code allocator}
     * @throws IOException naming the stream and the problem: {@code in} throws, not an image format
     *     read here, malformed or truncated, an empty image, or above the options' limits (checked on
     *     the header, before the pixels are allocated)
     * @throws PixmapAllocationException if the allocator has no memory for the pixels
     */
    public static Pixmap read(InputStream in, PixmapAllocator allocator, ReadOptions options) throws IOException {
        Objects.requireNonNull(in, "in must not be null");
        requireDecodeArguments(allocator, options);
        try (ImageInputStream stream = new MemoryCacheImageInputStream(in)) {
            return new ImageDecoder("the input stream " + in, options).decode(stream, allocator);
        }
    }

    /**
     * Decodes the first image of an {@code ImageInputStream}, which is not closed; see
     * {@link #read(Path, PixmapAllocator, ReadOptions)}.
     *
     * @param in the encoded image, read from its current position; left open
     * @param allocator the memory the pixels are decoded into
     * @param options the result's pixel format and subsampling, and the limits the header is checked
     *     against
     * @return the decoded pixmap, in {@code options.format()}, in memory from {@code allocator}
     * @throws IOException naming the stream and the problem: {@code in} throws, not an image format
     *     read here, malformed or truncated, an empty image, or above the options' limits (checked on
     *     the header, before the pixels are allocated)
     * @throws PixmapAllocationException if the allocator has no memory for the pixels
     */
    public static Pixmap read(ImageInputStream in, PixmapAllocator allocator, ReadOptions options) throws IOException {
        Objects.requireNonNull(in, "in must not be null");
        requireDecodeArguments(allocator, options);
        return new ImageDecoder("the image input stream " + in, options).decode(in, allocator);
    }

    /**
     * A loader for {@link PixmapCache#computeIfAbsent} that decodes the file {@code fileOf} names
     * for the key, as {@code BGRA_8888_PRE} with the default limits:
     * {@code cache.computeIfAbsent(path, PixmapIO.decoding(p -> p))}. However many threads ask
     * for the key at once, the file is decoded once. A file that cannot be decoded throws
     * {@link UncheckedIOException} (its cause names the file and the problem) to the caller and
     * every waiter, and nothing is cached.
     *
     * @param <K> the cache's key type
     * @param fileOf the file to decode for a key; it must not return null (the loader then throws
     *     {@link NullPointerException} naming the key)
     * @return a loader that decodes {@code fileOf(key)} with {@link #read(Path, PixmapAllocator, ReadOptions)}
     *     into the cache's allocator
     */
    public static <K> PixmapLoader<K> decoding(Function<? super K, Path> fileOf) {
        return decoding(fileOf, ReadOptions.defaults());
    }

    /**
     * As {@link #decoding(Function)}, with the given format, subsampling and limits.
     *
     * @param <K> the cache's key type
     * @param fileOf the file to decode for a key; it must not return null
     * @param options the format, subsampling and limits every file is decoded with
     * @return a loader that decodes {@code fileOf(key)} with these options into the cache's allocator;
     *     a file that cannot be decoded makes it throw {@link UncheckedIOException}
     */
    public static <K> PixmapLoader<K> decoding(Function<? super K, Path> fileOf, ReadOptions options) {
        Objects.requireNonNull(fileOf, "fileOf must not be null");
        Objects.requireNonNull(options, "options must not be null");
        return (key, allocator) -> {
            Path file = Objects.requireNonNull(fileOf.apply(key), () -> "fileOf gave no file for the key " + key);
            try {
                return read(file, allocator, options);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        };
    }

    private static void requireDecodeArguments(PixmapAllocator allocator, ReadOptions options) {
        Objects.requireNonNull(allocator, "allocator must not be null");
        Objects.requireNonNull(options, "options must not be null");
    }

    // ------------------------------------------------------------------ PNG

    /**
     * Writes the whole pixmap as PNG at {@link #DEFAULT_PNG_COMPRESSION}; see
     * {@link #writePng(Pixmap, int, int, int, int, OutputStream, int)}.
     *
     * @param pixmap the pixels to encode, of any format
     * @param out receives the PNG file; neither flushed nor closed
     * @throws IllegalStateException if the pixmap's memory has been released
     * @throws IOException if {@code out} throws
     */
    public static void writePng(Pixmap pixmap, OutputStream out) throws IOException {
        Objects.requireNonNull(pixmap, "pixmap must not be null");
        writePng(pixmap, 0, 0, pixmap.width(), pixmap.height(), out, DEFAULT_PNG_COMPRESSION);
    }

    /**
     * Writes a region of the pixmap as PNG at the default level; see
     * {@link #writePng(Pixmap, int, int, int, int, OutputStream, int)}.
     *
     * @param pixmap the pixels to encode, of any format
     * @param x the region's left column, in pixels from the pixmap's left edge
     * @param y the region's top row, in pixels from the pixmap's top edge
     * @param width the region's width in pixels, which is the PNG's width
     * @param height the region's height in pixels, which is the PNG's height
     * @param out receives the PNG file; neither flushed nor closed
     * @throws IllegalArgumentException if {@code width} or {@code height} is not positive
     * @throws IndexOutOfBoundsException if the region reaches outside the pixmap
     * @throws IllegalStateException if the pixmap's memory has been released
     * @throws IOException if {@code out} throws
     */
    public static void writePng(Pixmap pixmap, int x, int y, int width, int height, OutputStream out)
            throws IOException {
        writePng(pixmap, x, y, width, height, out, DEFAULT_PNG_COMPRESSION);
    }

    /**
     * Writes the {@code width} x {@code height} region at ({@code x}, {@code y}) of the pixmap as an
     * 8-bit PNG, read row by row from the pixmap's memory: no copy of the region or the frame is
     * made. {@code GRAY_8} becomes a gray PNG; a 4-byte region becomes RGB when every alpha in it
     * is 255, else straight (un-premultiplied) RGBA, so that decoding and premultiplying again gives
     * back the exact bytes. {@code out} is neither flushed nor closed.
     *
     * <p>Rows where many pixels repeat a neighbour (drawn graphics) are written unfiltered, others
     * (photographic) with the PNG filter of least sum of absolute differences, libpng's heuristic.
     *
     * @param pixmap the pixels to encode, of any format
     * @param x the region's left column, in pixels from the pixmap's left edge
     * @param y the region's top row, in pixels from the pixmap's top edge
     * @param width the region's width in pixels, which is the PNG's width
     * @param height the region's height in pixels, which is the PNG's height
     * @param out receives the PNG file; neither flushed nor closed
     * @param compressionLevel zlib level from 0 (stored, no filtering) to 9 (smallest, slowest), or
     *     {@link #DEFAULT_PNG_COMPRESSION} (-1)
     * @throws IllegalArgumentException if {@code width} or {@code height} is not positive or the
     *     level is not -1..9
     * @throws IndexOutOfBoundsException if the region reaches outside the pixmap
     * @throws IllegalStateException if the pixmap's memory has been released
     * @throws IOException if {@code out} throws
     */
    public static void writePng(Pixmap pixmap, int x, int y, int width, int height, OutputStream out,
                                int compressionLevel) throws IOException {
        Objects.requireNonNull(out, "out must not be null");
        Region region = new Region(pixmap, x, y, width, height);
        new PngEncoder(compressionLevel).encode(region, out);
    }

    // ------------------------------------------------------------------ JPEG

    /**
     * Writes the whole pixmap as JPEG; see {@link #writeJpeg(Pixmap, int, int, int, int, OutputStream, float)}.
     *
     * @param pixmap the pixels to encode, of any format; alpha is dropped
     * @param out receives the JPEG file; flushed but not closed
     * @param quality from 0 (smallest) to 1 (best); 0.75 is ImageIO's default
     * @throws IllegalArgumentException if {@code quality} is not in 0..1 (NaN included)
     * @throws IllegalStateException if the pixmap's memory has been released
     * @throws IOException if the runtime has no {@code ImageIO} writer for JPEG, or {@code out} throws
     */
    public static void writeJpeg(Pixmap pixmap, OutputStream out, float quality) throws IOException {
        Objects.requireNonNull(pixmap, "pixmap must not be null");
        writeJpeg(pixmap, 0, 0, pixmap.width(), pixmap.height(), out, quality);
    }

    /**
     * Writes a region of the pixmap as a baseline JPEG through {@code ImageIO}, which reads it scan
     * line by scan line from the pixmap's memory (no copy of the frame). Gray pixmaps give gray
     * JPEGs. JPEG has no alpha: it is dropped, so premultiplied pixels come out as if composited
     * over black. {@code out} is flushed but not closed.
     *
     * @param pixmap the pixels to encode, of any format
     * @param x the region's left column, in pixels from the pixmap's left edge
     * @param y the region's top row, in pixels from the pixmap's top edge
     * @param width the region's width in pixels, which is the JPEG's width
     * @param height the region's height in pixels, which is the JPEG's height
     * @param out receives the JPEG file; flushed but not closed
     * @param quality from 0 (smallest) to 1 (best); 0.75 is ImageIO's default
     * @throws IllegalArgumentException if {@code width} or {@code height} is not positive or the
     *     quality not in 0..1 (NaN included)
     * @throws IndexOutOfBoundsException if the region reaches outside the pixmap
     * @throws IllegalStateException if the pixmap's memory has been released
     * @throws IOException if the runtime has no {@code ImageIO} writer for JPEG, or {@code out} throws
     */
    public static void writeJpeg(Pixmap pixmap, int x, int y, int width, int height, OutputStream out,
                                 float quality) throws IOException {
        Objects.requireNonNull(out, "out must not be null");
        JpegEncoder.encode(new Region(pixmap, x, y, width, height), quality, out);
    }

    // ------------------------------------------------------------------ BufferedImage

    /**
     * A copy of the pixmap as a {@code TYPE_INT_ARGB_PRE} image, whose ints are premultiplied
     * {@code 0xAARRGGBB}: for {@code BGRA_8888_PRE} the very bytes, with no arithmetic.
     * {@code getRGB} of the copy equals {@link Pixmap#getArgb} wherever alpha is 255 or 0.
     *
     * @param pixmap the pixels to copy, of any format
     * @return a new image of the pixmap's width and height, on the Java heap, that shares nothing
     *     with the pixmap
     * @throws IllegalStateException if the pixmap's memory has been released
     */
    public static BufferedImage toBufferedImage(Pixmap pixmap) {
        Objects.requireNonNull(pixmap, "pixmap must not be null");
        return BufferedImages.toBufferedImage(pixmap);
    }

    /**
     * Copies {@code image}, of any type, into {@code target}, which must have the same size:
     * {@code TYPE_INT_ARGB_PRE} as stored (so {@code copyFrom(toBufferedImage(p), q)} makes q equal p),
     * gray images as their stored samples, every other type through its color model.
     *
     * @param image the pixels to copy, of any {@code BufferedImage} type
     * @param target receives the pixels in its own format; every pixel is overwritten
     * @throws IllegalArgumentException if the sizes differ, naming both
     * @throws IllegalStateException if the target's memory has been released
     */
    public static void copyFrom(BufferedImage image, Pixmap target) {
        Objects.requireNonNull(image, "image must not be null");
        Objects.requireNonNull(target, "target must not be null");
        BufferedImages.copyFrom(image, target);
    }
}
