import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.File;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * {@code java bench/iiif/GenerateImages.java DIR COUNT WIDTH HEIGHT}: generated stand-ins for
 * photographs (no photographs are at hand): smooth colour fields, different per image, under
 * sensor-like noise (triangular, deviation about 4.5 levels per channel), written as JPEG quality 0.9,
 * photo-00.jpg ...
 * Existing files are kept.
 */
public class GenerateImages {
    public static void main(String[] args) throws Exception {
        File dir = new File(args[0]);
        int count = Integer.parseInt(args[1]);
        int width = Integer.parseInt(args[2]);
        int height = Integer.parseInt(args[3]);
        dir.mkdirs();
        for (int i = 0; i < count; i++) {
            File file = new File(dir, String.format("photo-%02d.jpg", i));
            if (file.exists()) {
                continue;
            }
            Random random = new Random(i);
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            // A separable colour field per channel (a wave across times a wave down), precomputed per
            // column and per row, plus triangular noise of about 6 levels' deviation per channel.
            double[][] across = new double[3][width];
            double[][] down = new double[3][height];
            for (int c = 0; c < 3; c++) {
                double fx = 1 + random.nextDouble() * 6;
                double fy = 1 + random.nextDouble() * 6;
                double px = random.nextDouble() * Math.PI;
                double py = random.nextDouble() * Math.PI;
                for (int x = 0; x < width; x++) {
                    across[c][x] = Math.sin(fx * Math.PI * x / width + px);
                }
                for (int y = 0; y < height; y++) {
                    down[c][y] = Math.cos(fy * Math.PI * y / height + py);
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int o = 3 * (y * width + x);
                    for (int c = 0; c < 3; c++) {
                        int noise = random.nextInt(11) + random.nextInt(11) - 10;
                        int v = (int) (128 + 100 * across[c][x] * down[c][y]) + noise;
                        bgr[o + c] = (byte) Math.max(0, Math.min(255, v));
                    }
                }
            }
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            try (ImageOutputStream out = ImageIO.createImageOutputStream(file)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
            System.out.println(file + ": " + file.length() + " bytes");
        }
    }
}
