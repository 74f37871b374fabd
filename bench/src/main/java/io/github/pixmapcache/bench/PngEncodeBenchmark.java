package io.github.pixmapcache.bench;

import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.imageio.PixmapIO;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * PNG encoding of a 256x256 tile that lies inside a 2048x2048 {@code BGRA_8888_PRE} metatile (the
 * tile server's case), or of the whole metatile: {@link PixmapIO#writePng} against
 * {@code ImageIO.write} of the same pixels. {@code ImageIO} pays for what a user must do first:
 * copy the region out of native memory into a {@code BufferedImage}, un-premultiplying
 * ({@code TYPE_INT_RGB} when the region is opaque, so it writes RGB too, else {@code TYPE_INT_ARGB}).
 * Both write into a reused {@code ByteArrayOutputStream}; the output sizes are printed by
 * {@link PngSizes}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {ForkArgs.NATIVE_ACCESS, ForkArgs.MIN_HEAP, ForkArgs.MAX_HEAP})
@Threads(1)
@State(Scope.Thread)
public class PngEncodeBenchmark {
    /** What the pixels show. */
    @Param({"map", "overlay", "photo"})
    public PngImages content;

    /** {@code 256}: a tile at (768, 1024) of the metatile; {@code 2048}: the whole metatile. */
    @Param({"256", "2048"})
    public int side;

    /** zlib level of {@code pixmapIO}; ImageIO's writer uses its own default (4). */
    @Param({"" + PixmapIO.DEFAULT_PNG_COMPRESSION})
    public int level;

    private Arena arena;
    private Pixmap metatile;
    private int x;
    private int y;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);

    @Setup(Level.Trial)
    public void draw() {
        arena = Arena.ofConfined();
        metatile = content.draw(arena);
        x = side == PngImages.METATILE ? 0 : 768;
        y = side == PngImages.METATILE ? 0 : 1024;
    }

    @TearDown(Level.Trial)
    public void free() {
        arena.close();
    }

    @Benchmark
    public int pixmapIO() throws IOException {
        out.reset();
        PixmapIO.writePng(metatile, x, y, side, side, out, level);
        return out.size();
    }

    @Benchmark
    public int imageIO() throws IOException {
        out.reset();
        ImageIO.write(toBufferedImage(metatile, x, y, side), "png", out);
        return out.size();
    }

    /** The region as a straight-alpha image, as ImageIO's PNG writer needs it. */
    static BufferedImage toBufferedImage(Pixmap pixmap, int x, int y, int side) {
        boolean opaque = true;
        for (int row = 0; row < side && opaque; row++) {
            for (int column = 0; column < side; column++) {
                if (pixmap.getArgb(x + column, y + row) >>> 24 != 0xFF) {
                    opaque = false;
                    break;
                }
            }
        }
        BufferedImage image = new BufferedImage(side, side, opaque ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int row = 0, i = 0; row < side; row++) {
            for (int column = 0; column < side; column++) {
                pixels[i++] = pixmap.getArgb(x + column, y + row);
            }
        }
        return image;
    }

    /** Prints the PNG size of each content, side and encoder (and each level of ours). */
    public static final class PngSizes {
        public static void main(String[] args) throws IOException {
            System.out.println("| content | side | ImageIO.write | " + levels("writePng level %d") + " |");
            for (PngImages content : PngImages.values()) {
                try (Arena arena = Arena.ofConfined()) {
                    Pixmap metatile = content.draw(arena);
                    for (int side : new int[] {256, 2048}) {
                        int at = side == PngImages.METATILE ? 0 : 768;
                        int atY = side == PngImages.METATILE ? 0 : 1024;
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        ImageIO.write(toBufferedImage(metatile, at, atY, side), "png", out);
                        StringBuilder line = new StringBuilder("| " + content + " | " + side + " | " + out.size());
                        for (int level = 1; level <= 9; level++) {
                            out.reset();
                            PixmapIO.writePng(metatile, at, atY, side, side, out, level);
                            line.append(" | ").append(out.size());
                        }
                        System.out.println(line.append(" |"));
                    }
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
        }

        private static String levels(String format) {
            StringBuilder header = new StringBuilder();
            for (int level = 1; level <= 9; level++) {
                header.append(level > 1 ? " | " : "").append(String.format(format, level));
            }
            return header.toString();
        }
    }
}
