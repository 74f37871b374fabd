package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile requests and hostile files: identifiers that try to leave the folder, decompression bombs
 * declared in the header, truncated and corrupt files in every format ImageIO reads. Each gets a
 * status and a short text body, and the server keeps serving.
 */
class IiifHostileInputTest {
    private static final List<String> FORMATS = List.of("png", "jpg", "gif", "bmp", "tif", "wbmp");

    @TempDir
    static Path base;
    private static Path images;
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        images = Files.createDirectories(base.resolve("images"));
        Path outside = Files.createDirectories(base.resolve("outside"));
        BufferedImage picture = IiifFixtures.picture(120, 80);
        IiifFixtures.write(picture, outside.resolve("secret.png"));
        IiifFixtures.write(picture, images.resolve("good.png"));
        Files.createSymbolicLink(images.resolve("link.png"), outside.resolve("secret.png"));
        Files.createSymbolicLink(images.resolve("dirlink"), outside);
        for (String format : FORMATS) {
            BufferedImage source = format.equals("wbmp") ? binary(picture) : picture;
            byte[] valid = encode(source, format);
            Files.write(images.resolve("truncated-" + format + "." + format), Arrays.copyOf(valid, valid.length / 2));
            byte[] corrupt = valid.clone();
            for (int i = corrupt.length / 3; i < corrupt.length; i += 7) {
                corrupt[i] = (byte) (corrupt[i] * 31 + 17);
            }
            Files.write(images.resolve("corrupt-" + format + "." + format), corrupt);
            Files.write(images.resolve("header-only-" + format + "." + format), Arrays.copyOf(valid, Math.min(valid.length, 40)));
        }
        Files.write(images.resolve("bomb.png"), pngDeclaring(100_000, 100_000));
        Files.write(images.resolve("wide.png"), pngDeclaring(Integer.MAX_VALUE, 1));
        Files.write(images.resolve("bomb.tif"), tiffDeclaring(1_000_000, 1_000_000));
        Files.write(images.resolve("bomb.jpg"), jpegDeclaring(65_000, 65_000));
        Files.write(images.resolve("empty.png"), new byte[0]);
        Files.write(images.resolve("text.jpg"), "not an image at all".getBytes(StandardCharsets.UTF_8));
        server = TestServer.start("--images", images.toString(), "--budget", "64m");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"..%2Foutside%2Fsecret", "..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd",
        "%2F" + "tmp%2Fsecret", "good%2F..%2F..%2Foutside%2Fsecret", ".%2Fgood", "..%5Coutside%5Csecret", "good%00",
        "C:%5Cwindows", "a%2F%2Fb", "%2E%2E%2Foutside%2Fsecret"})
    void identifiersThatTryToLeaveTheFolderAreRefused(String identifier) {
        for (String path : List.of("/iiif/3/" + identifier + "/info.json", "/iiif/3/" + identifier + "/full/max/0/default.png",
                "/view/" + identifier)) {
            HttpResponse<byte[]> response = server.get(path);
            String body = new String(response.body(), StandardCharsets.UTF_8);
            assertEquals(400, response.statusCode(), () -> path + ": " + body);
            assertShortText(response);
            assertFalse(body.contains("\u0000"), body);
        }
        assertServing();
    }

    @ParameterizedTest
    @ValueSource(strings = {"link", "dirlink%2Fsecret"})
    void linksOutOfTheFolderAreNotFound(String identifier) {
        HttpResponse<byte[]> response = server.get("/iiif/3/" + identifier + "/full/max/0/default.png");
        assertEquals(404, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertShortText(response);
        String listing = new String(server.get("/images").body(), StandardCharsets.UTF_8);
        assertTrue(listing.contains("/view/good\""), listing);
        assertFalse(listing.contains("secret") || listing.contains("/view/link\""), listing);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bomb", "wide", "bomb.tif", "bomb.jpg", "empty", "text"})
    void bombsAndNonImagesAreRefusedFromTheHeader(String name) {
        String identifier = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        for (String path : List.of("/iiif/3/" + identifier + "/info.json", "/iiif/3/" + identifier + "/full/!64,64/0/default.png")) {
            HttpResponse<byte[]> response = server.get(path);
            assertEquals(500, response.statusCode(), () -> path + ": " + new String(response.body(), StandardCharsets.UTF_8));
            assertShortText(response);
        }
        assertServing();
    }

    @Test
    void truncatedAndCorruptFilesInEveryFormatFailAloneAndBriefly() {
        for (String format : FORMATS) {
            for (String kind : List.of("truncated-", "corrupt-", "header-only-")) {
                for (String request : List.of("info.json", "full/max/0/default.png", "full/!32,32/0/default.jpg",
                        "0,0,60,40/max/90/gray.png")) {
                    String path = "/iiif/3/" + kind + format + "/" + request;
                    HttpResponse<byte[]> response = server.get(path);
                    String body = new String(response.body(), StandardCharsets.ISO_8859_1);
                    // ImageIO decodes some damaged files (a truncated JPEG's missing rows are grey): then 200 and an image.
                    assertTrue(response.statusCode() == 200 || response.statusCode() == 500, () -> path + ": "
                            + response.statusCode() + " " + body);
                    if (response.statusCode() == 500) {
                        assertShortText(response);
                    }
                }
            }
        }
        assertServing();
    }

    private static void assertShortText(HttpResponse<byte[]> response) {
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/plain"));
        assertTrue(response.body().length < 600, () -> new String(response.body(), StandardCharsets.UTF_8));
    }

    private static void assertServing() {
        HttpResponse<byte[]> response = server.get("/iiif/3/good/full/max/0/default.png");
        assertEquals(200, response.statusCode());
        assertEquals(120, IiifFixtures.decode(response.body()).getWidth());
    }

    private static BufferedImage binary(BufferedImage picture) {
        BufferedImage out = new BufferedImage(picture.getWidth(), picture.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
        out.getGraphics().drawImage(picture, 0, 0, null);
        return out;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!javax.imageio.ImageIO.write(image, format.equals("jpg") ? "jpeg" : format.equals("tif") ? "tiff" : format, out)) {
            throw new IllegalStateException("no writer for " + format);
        }
        return out.toByteArray();
    }

    /** A valid PNG whose header declares {@code width} x {@code height} gray pixels, with one tiny IDAT. */
    static byte[] pngDeclaring(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
            z.write(new byte[4096]);
        }
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        d.write(name);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    /** A little-endian baseline TIFF header declaring {@code width} x {@code height} 8-bit gray, one strip of 8 bytes. */
    static byte[] tiffDeclaring(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 + 8 * 12 + 4 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        b.putShort((short) 8);
        int data = 8 + 2 + 8 * 12 + 4;
        entry(b, 256, 4, width);          // ImageWidth
        entry(b, 257, 4, height);         // ImageLength
        entry(b, 258, 3, 8);              // BitsPerSample
        entry(b, 259, 3, 1);              // Compression: none
        entry(b, 262, 3, 1);              // Photometric: black is zero
        entry(b, 273, 4, data);           // StripOffsets
        entry(b, 278, 4, height);         // RowsPerStrip
        entry(b, 279, 4, 8);              // StripByteCounts
        b.putInt(0);
        return b.array();
    }

    private static void entry(ByteBuffer b, int tag, int type, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(1);
        if (type == 3) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }

    /** A JPEG's first markers, SOI and a baseline SOF0 declaring {@code width} x {@code height}, then EOI. */
    static byte[] jpegDeclaring(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + 2 + 6 + 3 * 3 + 2);
        b.put((byte) 0xFF).put((byte) 0xD8);
        b.put((byte) 0xFF).put((byte) 0xC0).putShort((short) (8 + 3 * 3)).put((byte) 8)
                .putShort((short) height).putShort((short) width).put((byte) 3);
        for (int c = 1; c <= 3; c++) {
            b.put((byte) c).put((byte) 0x11).put((byte) 0);
        }
        b.put((byte) 0xFF).put((byte) 0xD9);
        return b.array();
    }
}
