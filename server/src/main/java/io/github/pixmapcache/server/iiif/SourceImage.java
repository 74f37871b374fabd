package io.github.pixmapcache.server.iiif;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A source file as its header describes it, read without decoding a pixel. The version (size and
 * modification time) is part of every cache key, so a replaced file is decoded afresh.
 *
 * @param file    the file, inside the images folder
 * @param version changes when the file does
 * @param format  the ImageIO format name, lower case ({@code jpeg}, {@code png}, ...)
 * @param width   pixels per row
 * @param height  rows
 * @param streams whether its reader writes the rows top to bottom, so that one pass streams them
 *                ({@link RowStream}): JPEG (scan lines in order, a progressive one's too once all its
 *                scans are read), and PNG that is not interlaced (read from the header's byte, not from
 *                ImageIO's metadata, which would inflate text chunks)
 */
record SourceImage(Path file, long version, String format, int width, int height, boolean streams) {
    /** Where a PNG's interlace method lies: signature 8, chunk length 4, "IHDR" 4, then 12 bytes in. */
    private static final int PNG_INTERLACE_OFFSET = 28;

    /** Sources declaring more pixels than this (32768 x 32768) are refused from the header. */
    static final long MAX_PIXELS = 1L << 30;

    /** The header of {@code file}; an unreadable, unknown, empty or oversized image is a {@link SourceRefused}. */
    static SourceImage probe(Path file) {
        long version = version(file);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new SourceRefused(file, "not an image format ImageIO reads");
            }
            ImageReader reader = readers.next();
            try {
                int interlace = byteAt(in, PNG_INTERLACE_OFFSET);
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width < 1 || height < 1) {
                    throw new SourceRefused(file, "declares an empty image, " + width + "x" + height);
                }
                if ((long) width * height > MAX_PIXELS) {
                    throw new SourceRefused(file, "declares " + width + "x" + height + " pixels, above the limit of "
                            + MAX_PIXELS);
                }
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                return new SourceImage(file, version, format, width, height,
                        format.equals("jpeg") || format.equals("png") && interlace == 0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof SourceRefused refused) {
                throw refused;
            }
            throw new SourceRefused(file, "unreadable header: " + e.getMessage());
        }
    }

    /** Whether the file is still the one this describes. */
    boolean current() {
        try {
            return version(file) == version;
        } catch (SourceRefused e) {
            return false;
        }
    }

    private static long version(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.lastModifiedTime().toMillis() * 31 + attributes.size();
        } catch (IOException e) {
            throw new SourceRefused(file, "cannot be read: " + e.getMessage());
        }
    }

    /** The byte at {@code offset}, or -1 past the end; the stream is left where it was. */
    private static int byteAt(ImageInputStream in, long offset) throws IOException {
        in.mark();
        try {
            in.seek(offset);
            return in.read();
        } finally {
            in.reset();
        }
    }
}
