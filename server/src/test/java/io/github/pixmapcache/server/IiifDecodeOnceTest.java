package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntBinaryOperator;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decode once: a cold image is read from its file once for every scale a viewer asks for, and by one
 * pass however many requests ask at once; a strip that is not cached is decoded from its own rows,
 * pixel-exact; with {@code --cache none} every request decodes; a source whose decoded size exceeds
 * the whole budget is served at full resolution and as a thumbnail; tiles and IIIF share one budget.
 */
class IiifDecodeOnceTest {
    private static final int REQUESTS = 100;

    @TempDir
    Path images;

    @Test
    void aHundredConcurrentRequestsForAColdImageDecodeItOnce() throws Exception {
        IiifFixtures.write(IiifFixtures.picture(3000, 2000), images.resolve("photo.jpg"));
        try (TestServer server = TestServer.start("--images", images.toString(), "--budget", "256m")) {
            List<byte[]> bodies = concurrently(server, REQUESTS, i -> "/iiif/3/photo/" + (i % 4) * 256 + ",0,256,256/256,/0/default.jpg");
            assertEquals(1, server.server.iiif().decodes(), "decodes for " + REQUESTS + " concurrent requests of one level");
            for (int i = 4; i < REQUESTS; i++) {
                assertArrayEquals(bodies.get(i % 4), bodies.get(i), "request " + i + " differs from its twin");
            }
            // The four distinct derivatives were encoded once each; every other request was a hit or a wait in the encoded tier.
            String metrics = new String(server.get("/metrics").body(), StandardCharsets.UTF_8);
            assertTrue(java.util.regex.Pattern.compile("cache_load_total\\{cache=\"iiif-derivatives\",result=\"success\"[^}]*\\} 4\\.0")
                    .matcher(metrics).find(), () -> metrics.lines().filter(l -> l.contains("iiif-derivatives")).toList().toString());
        }
    }

    @Test
    void threeScaleFactorsOfAColdImageAreOneDecodeOfTheFile() throws Exception {
        // 3000x2000: level 0 alone is 24 MB, two strips; the old per-level decoding read the file 4 times here.
        // 1 GiB of IIIF budget: its whole pyramid (31 MB) fits the quarter a whole pass keeps.
        IiifFixtures.write(IiifFixtures.picture(3000, 2000), images.resolve("photo.png"));
        try (TestServer server = TestServer.start("--images", images.toString(), "--budget", "2g")) {
            for (String tile : List.of("1024,1024,512,512/512,", "0,0,2048,2048/512,", "0,0,3000,2000/375,")) {
                HttpResponse<byte[]> response = server.get("/iiif/3/photo/" + tile + "/0/default.png");
                assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
            }
            assertEquals(1, server.server.iiif().decodes(), "file decodes for scale factors 1, 4 and 8 of one image");
        }
    }

    @Test
    void aStripThatIsNotCachedIsDecodedFromItsOwnRowsPixelForPixel() throws Exception {
        // 2000x2000 under 32 MiB of IIIF budget: 4 MiB strips; the whole pass keeps what fits 8 MiB (a quarter):
        // levels 1 and up (5.3 MB), not level 0 (16 MB).
        BufferedImage picture = IiifFixtures.picture(2000, 2000);
        IiifFixtures.write(picture, images.resolve("photo.png"));
        try (TestServer server = TestServer.start("--images", images.toString(), "--budget", "64m", "--iiif-budget", "32m",
                "--policy", "lru")) {
            assertEquals(200, server.get("/iiif/3/photo/full/250,/0/default.png").statusCode());
            assertEquals(1, server.server.iiif().decodes(), "the thumbnail: one pass caching the coarse levels");
            long coarse = server.server.iiif().cache().usedBytes();
            assertTrue(coarse > 4L << 20 && coarse <= 8L << 20, "the whole pass keeps what fits a quarter of 32 MiB: " + coarse);

            HttpResponse<byte[]> tile = server.get("/iiif/3/photo/1000,100,256,256/max/0/default.png");
            assertEquals(200, tile.statusCode(), () -> new String(tile.body(), StandardCharsets.UTF_8));
            assertEquals(2, server.server.iiif().decodes(), "a full-resolution tile: one pass over its strip's rows");
            IiifFixtures.assertClose(picture.getSubimage(1000, 100, 256, 256), IiifFixtures.decode(tile.body()), 0, 0,
                    "a tile of a strip decoded from its own rows");
            assertEquals(200, server.get("/iiif/3/photo/0,200,256,256/max/0/default.png").statusCode());
            assertEquals(2, server.server.iiif().decodes(), "another tile of the same cached strip");
            assertEquals(200, server.get("/iiif/3/photo/0,0,2000,2000/250,/0/default.png").statusCode());
            assertEquals(2, server.server.iiif().decodes(), "scale factor 8: kept by the whole pass");

            // Another image fills the budget: the first one's strips are evicted, and its next request
            // reads the rows of the strip it needs, not the whole pass again.
            IiifFixtures.write(IiifFixtures.picture(3000, 3000), images.resolve("other.png"));
            for (int y = 0; y < 3000; y += 300) {   // 9 strips of 4 MiB: more than the 32 MiB, so LRU evicts all of photo
                assertEquals(200, server.get("/iiif/3/other/0," + y + ",256,300/max/0/default.png").statusCode());
            }
            long decodes = server.server.iiif().decodes();
            HttpResponse<byte[]> again = server.get("/iiif/3/photo/1000,300,256,200/max/0/default.png");
            assertEquals(200, again.statusCode());
            assertEquals(decodes + 1, server.server.iiif().decodes(), "an evicted full-resolution strip: one pass of its rows");
            IiifFixtures.assertClose(picture.getSubimage(1000, 300, 256, 200), IiifFixtures.decode(again.body()), 0, 0,
                    "a tile of an evicted strip, decoded again");
        }
    }

    @Test
    void tilesAndIiifStayWithinOneBudget() throws Exception {
        for (int i = 0; i < 4; i++) {
            IiifFixtures.write(IiifFixtures.picture(1500, 1000), images.resolve("photo" + i + ".jpg"));
        }
        try (TestServer server = TestServer.start("--images", images.toString(), "--budget", "24m", "--iiif-budget",
                "8m", "--picture", "waves", "--metatile", "2", "--tile-budget", "0", "--policy", "lru")) {
            for (int i = 0; i < 4; i++) {   // 4 pyramids of 8 MB: twice what IIIF has
                assertEquals(200, server.get("/iiif/3/photo" + i + "/full/max/0/default.jpg").statusCode());
                assertEquals(200, server.get("/iiif/3/photo" + i + "/0,0,512,512/max/0/default.jpg").statusCode());
            }
            for (int x = 0; x < 64; x += 2) {   // 32 metatiles of 1 MiB: more than the 16 MiB the tiles have
                assertEquals(200, server.get("/tiles/6/" + x + "/7.png").statusCode());
            }
            String stats = new String(server.get("/stats").body(), StandardCharsets.UTF_8);
            long tiles = field(stats, "\\{\"cache\".*?\"usedBytes\":(\\d+)");
            long tileMaximum = field(stats, "\\{\"cache\".*?\"maximumBytes\":(\\d+)");
            long iiif = field(stats, "\"iiif\":\\{.*?\"usedBytes\":(\\d+)");
            long iiifMaximum = field(stats, "\"iiif\":\\{.*?\"maximumBytes\":(\\d+)");
            assertEquals(24L << 20, tileMaximum + iiifMaximum, stats);
            assertEquals(8L << 20, iiifMaximum, stats);
            assertTrue(tiles > 8L << 20 && iiif > 4L << 20, "both caches were filled: " + stats);
            assertTrue(tiles + iiif <= 24L << 20, "native pixels of tiles and IIIF together within --budget: " + stats);
        }
    }

    private static long field(String json, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(json);
        assertTrue(m.find(), regex + " in " + json);
        return Long.parseLong(m.group(1));
    }

    @Test
    void withoutTheCacheEveryRequestDecodes() throws Exception {
        IiifFixtures.write(IiifFixtures.picture(1200, 800), images.resolve("photo.jpg"));
        try (TestServer server = TestServer.start("--images", images.toString(), "--cache", "none")) {
            List<byte[]> bodies = concurrently(server, 20, i -> "/iiif/3/photo/0,0,256,256/128,/0/default.png");
            assertEquals(20, server.server.iiif().decodes());
            assertEquals(128, IiifFixtures.decode(bodies.get(0)).getWidth());
        }
    }

    private static List<byte[]> concurrently(TestServer server, int n, java.util.function.IntFunction<String> path)
            throws Exception {
        List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            responses.add(server.client.sendAsync(HttpRequest.newBuilder(server.uri(path.apply(i))).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        List<byte[]> bodies = new ArrayList<>();
        for (CompletableFuture<HttpResponse<byte[]>> future : responses) {
            HttpResponse<byte[]> response = future.get();
            assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
            bodies.add(response.body());
        }
        return bodies;
    }

    /** A gray pattern every pixel of which is known: 1000-pixel checks with ramps inside them. */
    private static int pattern(int x, int y) {
        return ((x / 1000 + y / 1000) & 1) * 128 + (x % 1000) * 100 / 1000 + (y % 1000) * 27 / 1000;
    }

    @Test
    void aSourceLargerThanTheWholeBudgetIsServedInFullAndAsAThumbnail() throws Exception {
        int side = 20_000;   // 1.6 GB of BGRA pixels decoded, under a 256 MiB budget
        long t0 = System.nanoTime();
        writeGrayPng(images.resolve("huge.png"), side, side, IiifDecodeOnceTest::pattern);
        System.out.printf("huge.png written in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        try (TestServer server = TestServer.start("--images", images.toString(), "--budget", "256m")) {
            HttpResponse<byte[]> thumbnail = server.get("/iiif/3/huge/full/!256,256/0/default.png");
            assertEquals(200, thumbnail.statusCode(), () -> new String(thumbnail.body(), StandardCharsets.UTF_8));
            System.out.printf("thumbnail after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertEquals(1, server.server.iiif().decodes(), "the thumbnail: one streamed pass over the file");
            long afterThumbnail = server.server.iiif().cache().usedBytes();
            assertTrue(afterThumbnail <= 32L << 20, "the pass keeps the coarse levels that fit a quarter of the 128 MiB"
                    + " IIIF gets, not " + afterThumbnail + " bytes");
            BufferedImage expected = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
            double span = side / 256.0;
            for (int y = 0; y < 256; y++) {
                for (int x = 0; x < 256; x++) {   // the exact area average of the pattern, on a 1/4-pixel grid
                    long sum = 0;
                    int count = 0;
                    for (double sy = y * span; sy < (y + 1) * span; sy += 4) {
                        for (double sx = x * span; sx < (x + 1) * span; sx += 4) {
                            sum += pattern((int) sx, (int) sy);
                            count++;
                        }
                    }
                    int v = (int) Math.round((double) sum / count);
                    expected.setRGB(x, y, v * 0x010101);
                }
            }
            IiifFixtures.assertClose(expected, IiifFixtures.decode(thumbnail.body()), 2, 80, "thumbnail of " + side + "^2");

            int x0 = 10_240 - 100;
            int y0 = 10_240 - 60;
            HttpResponse<byte[]> tile = server.get("/iiif/3/huge/" + x0 + "," + y0 + ",512,512/max/0/default.png");
            assertEquals(200, tile.statusCode(), () -> new String(tile.body(), StandardCharsets.UTF_8));
            System.out.printf("full-resolution tile after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            BufferedImage pixels = IiifFixtures.decode(tile.body());
            for (int y = 0; y < 512; y++) {
                for (int x = 0; x < 512; x++) {
                    int v = pattern(x0 + x, y0 + y);
                    assertEquals(v * 0x010101, pixels.getRGB(x, y) & 0xFFFFFF, "pixel " + (x0 + x) + "," + (y0 + y));
                }
            }
            // 16 MiB strips of 209 rows: rows 10180..10691 lie in 4 of them, each read from its own rows.
            assertEquals(5, server.server.iiif().decodes(), "the thumbnail's pass and a pass for each strip of the tile");
            assertTrue(server.server.iiif().cache().usedBytes() <= 128L << 20);
        }
    }

    /** Streams a gray PNG row by row, so that the test never holds the image. */
    private static void writeGrayPng(Path file, int width, int height, IntBinaryOperator gray) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8)
                    .put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
            chunk(out, "IHDR", ihdr.array());
            java.io.ByteArrayOutputStream idat = new java.io.ByteArrayOutputStream();
            Deflater deflater = new Deflater(1);
            byte[] row = new byte[width + 1];
            try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        row[x + 1] = (byte) gray.applyAsInt(x, y);
                    }
                    z.write(row);
                    if (idat.size() > 1 << 20) {
                        chunk(out, "IDAT", idat.toByteArray());
                        idat.reset();
                    }
                }
            } finally {
                deflater.end();
            }
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
        }
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        CRC32 crc = new CRC32();
        try (OutputStream checked = new CheckedOutputStream(OutputStream.nullOutputStream(), crc)) {
            checked.write(type.getBytes(StandardCharsets.US_ASCII));
            checked.write(data);
        }
        out.write(type.getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.writeInt((int) crc.getValue());
    }
}
