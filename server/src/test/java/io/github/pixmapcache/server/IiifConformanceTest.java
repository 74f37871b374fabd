package io.github.pixmapcache.server;

import static io.github.pixmapcache.server.IiifFixtures.assertClose;
import static io.github.pixmapcache.server.IiifFixtures.decode;
import static io.github.pixmapcache.server.IiifFixtures.reference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every parameter form of compliance level 2 and every error status of IIIF Image API 3.0, each
 * response checked against pixels Java2D computes from the original file (never against the
 * server's own code), with PNG output so that nothing but the scaling can differ.
 */
class IiifConformanceTest {
    /** Odd sizes on purpose: halving levels and centred squares must get their rounding right. */
    private static final int WIDTH = 601;
    private static final int HEIGHT = 403;

    @TempDir
    static Path images;
    private static BufferedImage original;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        original = IiifFixtures.picture(WIDTH, HEIGHT);
        Files.createDirectories(images.resolve("maps"));
        IiifFixtures.write(original, images.resolve("picture.png"));
        IiifFixtures.write(original, images.resolve("maps/copy.png"));
        server = TestServer.start("--images", images.toString(), "--budget", "64m");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static BufferedImage image(String request) {
        HttpResponse<byte[]> response = server.get("/iiif/3/picture/" + request.replace("^", "%5E"));
        assertEquals(200, response.statusCode(), () -> request + ": " + new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("*", response.headers().firstValue("access-control-allow-origin").orElse(null), request);
        return decode(response.body());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        // region; size; x; y; w; h; output width; output height
        "full/max;           0; 0; 601; 403; 601; 403",
        "square/max;         99; 0; 403; 403; 403; 403",
        "10,20,300,200/max;  10; 20; 300; 200; 300; 200",
        "0000000000010,020,0000000000300,200/0000000000150,;  10; 20; 300; 200; 150; 100",
        "500,300,400,400/max; 500; 300; 101; 103; 101; 103",
        "pct:10,20,50,50/max; 60; 81; 301; 202; 301; 202",
        "full/300,;          0; 0; 601; 403; 300; 201",
        "full/,100;          0; 0; 601; 403; 149; 100",
        "full/pct:50;        0; 0; 601; 403; 301; 202",
        "full/pct:12.5;      0; 0; 601; 403; 75; 50",
        "full/200,100;       0; 0; 601; 403; 200; 100",
        "full/!200,200;      0; 0; 601; 403; 200; 134",
        "full/!300,100;      0; 0; 601; 403; 149; 100",
        "full/37,;           0; 0; 601; 403; 37; 25",
        "100,100,64,64/^128,; 100; 100; 64; 64; 128; 128",
        "100,100,64,64/^pct:150; 100; 100; 64; 64; 96; 96",
        "100,100,64,60/^!128,128; 100; 100; 64; 60; 128; 120",
        "100,100,64,64/^,100; 100; 100; 64; 64; 100; 100",
        "100,100,64,64/^100,80; 100; 100; 64; 64; 100; 80",
        "pct:0,0,100,100/!64,64; 0; 0; 601; 403; 64; 43",
    })
    void regionsAndSizesMatchJava2dOnTheOriginal(String regionAndSize, int x, int y, int w, int h, int width, int height) {
        BufferedImage actual = image(regionAndSize.strip() + "/0/default.png");
        BufferedImage expected = reference(original, x, y, w, h, width, height);
        boolean exact = w == width && h == height;
        boolean upscale = width > w;
        // Copies are exact; area averages differ from Java2D's only by rounding and by the pyramid level's own averaging.
        assertClose(expected, actual, exact ? 0 : upscale ? 3 : 2.5, exact ? 0 : upscale ? 90 : 130, regionAndSize);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0, 0, false", "90, 1, false", "180, 2, false", "270, 3, false", "!0, 0, true", "!90, 1, true",
        "!180, 2, true", "!270, 3, true", "360, 0, false"})
    void rotationsAndMirroringTurnThePixels(String rotation, int quarters, boolean mirror) {
        BufferedImage actual = image("30,40,120,70/max/" + rotation + "/default.png");
        BufferedImage expected = IiifFixtures.turn(reference(original, 30, 40, 120, 70, 120, 70), quarters, mirror);
        assertClose(expected, actual, 0, 0, "rotation " + rotation);
    }

    @Test
    void qualitiesColorGrayAndBitonal() {
        BufferedImage crop = reference(original, 0, 0, 200, 150, 200, 150);
        assertClose(crop, image("0,0,200,150/max/0/color.png"), 0, 0, "color");
        BufferedImage gray = image("0,0,200,150/max/0/gray.png");
        BufferedImage bitonal = image("0,0,200,150/max/0/bitonal.png");
        for (int y = 0; y < 150; y++) {
            for (int x = 0; x < 200; x++) {
                int luma = IiifFixtures.luma(crop.getRGB(x, y));
                assertEquals(luma * 0x010101, gray.getRGB(x, y) & 0xFFFFFF, "gray at " + x + "," + y);
                assertEquals(luma >= 128 ? 0xFFFFFF : 0, bitonal.getRGB(x, y) & 0xFFFFFF, "bitonal at " + x + "," + y);
            }
        }
    }

    @Test
    void jpegIsTheSamePictureWithinJpegLoss() {
        HttpResponse<byte[]> response = server.get("/iiif/3/picture/full/300,/0/default.jpg");
        assertEquals(200, response.statusCode());
        assertEquals("image/jpeg", response.headers().firstValue("content-type").orElseThrow());
        assertClose(reference(original, 0, 0, WIDTH, HEIGHT, 300, 201), decode(response.body()), 4, 255, "jpg");
        assertEquals("image/png", server.get("/iiif/3/picture/full/max/0/default.png").headers()
                .firstValue("content-type").orElseThrow());
    }

    @Test
    void infoJsonDeclaresLevel2TilesSizesAndLimits() {
        HttpResponse<byte[]> response = server.get("/iiif/3/maps%2Fcopy/info.json");
        assertEquals(200, response.statusCode(), () -> new String(response.body()));
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("application/ld+json"));
        assertEquals("*", response.headers().firstValue("access-control-allow-origin").orElseThrow());
        String json = new String(response.body(), StandardCharsets.UTF_8);
        for (String part : List.of("\"@context\":\"http://iiif.io/api/image/3/context.json\"",
                "\"id\":\"" + server.uri("/iiif/3/maps%2Fcopy") + "\"", "\"type\":\"ImageService3\"",
                "\"protocol\":\"http://iiif.io/api/image\"", "\"profile\":\"level2\"", "\"width\":601", "\"height\":403",
                "\"maxWidth\":8192", "\"maxArea\":16777216", "\"tiles\":[{\"width\":512,\"height\":512,\"scaleFactors\":[1,2,4,8,16,32]}]",
                "{\"width\":301,\"height\":202}", "{\"width\":601,\"height\":403}")) {
            assertTrue(json.contains(part), () -> part + " missing from " + json);
        }
        assertEquals(200, server.get("/iiif/3/maps%2fcopy/full/max/0/default.png").statusCode(), "lower-case %2f");
    }

    @Test
    void theBaseUriRedirectsToInfoJson() {
        HttpResponse<byte[]> response = server.get("/iiif/3/maps%2Fcopy");
        assertEquals(303, response.statusCode());
        assertEquals(server.uri("/iiif/3/maps%2Fcopy/info.json").toString(),
                response.headers().firstValue("location").orElseThrow());
        assertEquals("*", response.headers().firstValue("access-control-allow-origin").orElseThrow());
    }

    @ParameterizedTest(name = "{1} {0}")
    @CsvSource(delimiter = ';', value = {
        "/iiif/3/nothing/info.json; 404",
        "/iiif/3/nothing/full/max/0/default.jpg; 404",
        "/iiif/3/maps/copy/info.json; 404",
        "/iiif/3/picture/full/max/0/default.gif; 400",
        "/iiif/3/picture/full/max/0/default.xyz; 400",
        "/iiif/3/picture/full/max/0/default; 400",
        "/iiif/3/picture/full/max/0/sepia.jpg; 400",
        "/iiif/3/picture/everything/max/0/default.jpg; 400",
        "/iiif/3/picture/0,0,0,10/max/0/default.jpg; 400",
        "/iiif/3/picture/0,0,0000000000000,10/max/0/default.jpg; 400",
        "/iiif/3/picture/full/0000000000000,/0/default.jpg; 400",
        "/iiif/3/picture/601,0,10,10/max/0/default.jpg; 400",
        "/iiif/3/picture/0,403,10,10/max/0/default.jpg; 400",
        "/iiif/3/picture/-1,0,10,10/max/0/default.jpg; 400",
        "/iiif/3/picture/pct:1e308,0,10,10/max/0/default.jpg; 400",
        "/iiif/3/picture/pct:NaN,0,10,10/max/0/default.jpg; 400",
        "/iiif/3/picture/pct:100,0,10,10/max/0/default.jpg; 400",
        "/iiif/3/picture/full/biggest/0/default.jpg; 400",
        "/iiif/3/picture/full/1000000000,1000000000/0/default.jpg; 400",
        "/iiif/3/picture/full/^1000000000,1000000000/0/default.jpg; 400",
        "/iiif/3/picture/full/^pct:1e308/0/default.jpg; 400",
        "/iiif/3/picture/full/^pct:99999999999999999999/0/default.jpg; 400",
        "/iiif/3/picture/full/^9000,/0/default.jpg; 400",
        "/iiif/3/picture/full/602,/0/default.jpg; 400",
        "/iiif/3/picture/full/,404/0/default.jpg; 400",
        "/iiif/3/picture/full/pct:101/0/default.jpg; 400",
        "/iiif/3/picture/full/!700,700/0/default.jpg; 400",
        "/iiif/3/picture/full/0,/0/default.jpg; 400",
        "/iiif/3/picture/full/pct:0/0/default.jpg; 400",
        "/iiif/3/picture/full/-5,/0/default.jpg; 400",
        "/iiif/3/picture/full/!5,/0/default.jpg; 400",
        "/iiif/3/picture/full/max/45/default.jpg; 501",
        "/iiif/3/picture/full/max/361/default.jpg; 400",
        "/iiif/3/picture/full/max/-90/default.jpg; 400",
        "/iiif/3/picture/full/max/NaN/default.jpg; 400",
        "/iiif/3/picture/full/max/1e2/default.jpg; 400",
        "/iiif/3/picture/full/max/0/default.jpg/extra; 404",
    })
    void errorsGetTheSpecsStatusAndAShortTextBody(String path, int status) {
        HttpResponse<byte[]> response = server.get(path.replace("^", "%5E"));
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(status, response.statusCode(), () -> path + ": " + body);
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/plain"), path);
        assertTrue(body.startsWith(status + " ") && body.length() < 400, () -> path + ": " + body);
        assertEquals(200, server.get("/iiif/3/picture/0,0,16,16/max/0/default.png").statusCode(), "still serving");
    }

    @Test
    void anUnescapedCaretUpscalesAsClientsSendIt() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(server.uri("/").getHost(), server.uri("/").getPort())) {
            socket.getOutputStream().write(("GET /iiif/3/picture/0,0,32,32/^64,/0/default.png HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200", head);
        }
    }

    @Test
    void headAndOtherMethods() throws Exception {
        HttpResponse<byte[]> head = server.send(java.net.http.HttpRequest.newBuilder(
                server.uri("/iiif/3/picture/info.json")).method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        HttpResponse<byte[]> post = server.send(java.net.http.HttpRequest.newBuilder(
                server.uri("/iiif/3/picture/info.json")).POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals(405, post.statusCode());
    }
}
