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
 */
record SourceImage(Path file, long version, String format, int width, int height) {
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
                return new SourceImage(file, version, reader.getFormatName().toLowerCase(Locale.ROOT), width, height);
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

    /** Whether ImageIO's reader for this format decodes a source region without allocating more than it (JPEG, PNG). */
    boolean regionReadsAreBounded() {
        return format.equals("jpeg") || format.equals("png");
    }
}
