package io.github.pixmapcache.server.iiif;

import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.imageio.PixmapIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Encodes an output pixmap in the requested format, through the core's encoders. */
final class Encoding {
    /** JPEG quality of every jpg made here. */
    static final float JPEG_QUALITY = 0.9f;

    private Encoding() {
    }

    static byte[] encode(Pixmap pixmap, Format format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            switch (format) {
                case JPG -> PixmapIO.writeJpeg(pixmap, out, JPEG_QUALITY);
                case PNG -> PixmapIO.writePng(pixmap, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding " + format, e);
        }
        return out.toByteArray();
    }
}
