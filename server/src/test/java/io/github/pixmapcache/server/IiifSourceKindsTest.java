package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kind of source reaches the pyramid with its own pixels: the streamed pass (JPEG, PNG of
 * every sample layout) and the whole decode (interlaced PNG, BMP, GIF, TIFF) alike. Level 0 is the
 * file's pixels exactly (gray as its stored samples, not as linear light), and level 1 the exact
 * mean of each 2x2 block of them.
 */
class IiifSourceKindsTest {
    private static final int WIDTH = 301;
    private static final int HEIGHT = 203;

    @TempDir
    Path images;

    @ParameterizedTest(name = "{0} as {1}{2}")
    @CsvSource({
            "rgb, png, ''", "gray, png, ''", "gray16, png, ''", "indexed, png, ''", "argb, png, ''",
            "rgb, png, ' interlaced'", "gray, png, ' interlaced'",
            "rgb, bmp, ''", "indexed, gif, ''", "rgb, tif, ''", "gray, tif, ''"})
    void levelZeroIsTheFilesPixelsAndLevelOneTheirExactMeans(String kind, String format, String interlaced)
            throws Exception {
        BufferedImage source = image(kind);
        Path file = images.resolve("source." + format);
        write(source, format, !interlaced.isEmpty(), file);
        int[][] expected = pixels(ImageIO.read(file.toFile()));
        try (TestServer server = TestServer.start("--images", images.toString(), "--budget", "64m")) {
            BufferedImage full = get(server, "/iiif/3/source/full/max/0/default.png");
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    assertClose(expected[y][x], full.getRGB(x, y), kind.equals("argb") ? 2 : 0, "pixel " + x + "," + y);
                }
            }
            int halfWidth = WIDTH / 2;   // an exact scale factor of 2: level 1 as it is cached
            int halfHeight = HEIGHT / 2;
            BufferedImage half = get(server, "/iiif/3/source/0,0," + 2 * halfWidth + "," + 2 * halfHeight + "/"
                    + halfWidth + "," + halfHeight + "/0/default.png");
            for (int y = 0; y < halfHeight; y++) {
                for (int x = 0; x < halfWidth; x++) {
                    assertClose(mean(expected, 2 * x, 2 * y), half.getRGB(x, y), kind.equals("argb") ? 2 : 1,
                            "level-1 pixel " + x + "," + y);
                }
            }
        }
    }

    private static BufferedImage get(TestServer server, String path) {
        HttpResponse<byte[]> response = server.get(path);
        assertEquals(200, response.statusCode(), () -> path + ": " + new String(response.body(), StandardCharsets.UTF_8));
        return IiifFixtures.decode(response.body());
    }

    private static BufferedImage image(String kind) {
        BufferedImage colour = IiifFixtures.picture(WIDTH, HEIGHT);
        BufferedImage image = switch (kind) {
            case "rgb" -> colour;
            case "gray" -> new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
            case "gray16" -> new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_USHORT_GRAY);
            case "indexed" -> new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_INDEXED);
            case "argb" -> new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_ARGB);
            default -> throw new IllegalArgumentException(kind);
        };
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int rgb = colour.getRGB(x, y);
                switch (kind) {
                    case "gray" -> raster.setSample(x, y, 0, (x * 7 + y * 3) & 0xFF);
                    case "gray16" -> raster.setSample(x, y, 0, (x * 331 + y * 97) & 0xFFFF);
                    case "indexed" -> image.setRGB(x, y, rgb);
                    case "argb" -> image.setRGB(x, y, ((x + y) % 3 == 0 ? 0x80 : 0xFF) << 24 | rgb & 0xFFFFFF);
                    default -> {
                    }
                }
            }
        }
        return image;
    }

    private static void write(BufferedImage image, String format, boolean interlaced, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (interlaced) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);   // Adam7
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /** Straight ARGB of every pixel; gray as its stored samples, scaled to 8 bits. */
    private static int[][] pixels(BufferedImage image) {
        int[][] pixels = new int[image.getHeight()][image.getWidth()];
        boolean gray = image.getType() == BufferedImage.TYPE_BYTE_GRAY || image.getType() == BufferedImage.TYPE_USHORT_GRAY;
        int maximum = (1 << image.getColorModel().getComponentSize(0)) - 1;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (gray) {
                    int v = (image.getRaster().getSample(x, y, 0) * 255 + maximum / 2) / maximum;
                    pixels[y][x] = 0xFF00_0000 | v * 0x010101;
                } else {
                    pixels[y][x] = image.getRGB(x, y);
                }
            }
        }
        return pixels;
    }

    /** The straight colour of the mean of premultiplied pixels of the 2x2 block at (x, y), cut at the edges. */
    private static int mean(int[][] pixels, int x, int y) {
        long[] sums = new long[4];
        int count = 0;
        for (int v = y; v < Math.min(y + 2, pixels.length); v++) {
            for (int u = x; u < Math.min(x + 2, pixels[0].length); u++) {
                int p = pixels[v][u];
                int a = p >>> 24;
                sums[0] += a;
                sums[1] += (p >> 16 & 0xFF) * a / 255;
                sums[2] += (p >> 8 & 0xFF) * a / 255;
                sums[3] += (p & 0xFF) * a / 255;
                count++;
            }
        }
        long a = Math.round((double) sums[0] / count);
        int argb = (int) a << 24;
        for (int c = 1; c < 4; c++) {
            long premultiplied = Math.round((double) sums[c] / count);
            argb |= (int) (a == 0 ? 0 : Math.min(255, Math.round(premultiplied * 255.0 / a))) << (24 - 8 * c);
        }
        return argb;
    }

    private static void assertClose(int expected, int actual, int tolerance, String what) {
        for (int shift = 0; shift < 32; shift += 8) {
            int e = expected >>> shift & 0xFF;
            int a = actual >>> shift & 0xFF;
            if (Math.abs(e - a) > tolerance) {
                throw new AssertionError(what + ": expected " + Integer.toHexString(expected) + ", got "
                        + Integer.toHexString(actual));
            }
        }
    }
}
