package io.github.pixmapcache.server.iiif;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzzes the image request's parameters without a server, thousands of times cheaper than
 * {@code IiifRequestFuzzTest}: the input is {@code region/size/rotation/quality.format} (split at
 * its first three slashes, as decoded path segments reach {@link ImageRequest#parse}), the seeds
 * the same real requests. {@code parse} returns a request or throws {@link IiifFailure}; the request
 * then resolves against images from 1x1 to 10^6 x 10^6 to a plan inside the image and the limits,
 * or throws {@link IiifFailure}; every failure is a 400 or a 501 with a message. Anything else
 * (a {@code NumberFormatException}, an {@code ArithmeticException}, an overflowed size) is a finding.
 */
class ImageRequestFuzzTest {
    private static final int[][] IMAGES = {{1, 1}, {67, 45}, {45, 67}, {8192, 3}, {1_000_000, 1_000_000}};

    @FuzzTest(maxDuration = "10m")
    void parseAndResolve(byte[] input) {
        String[] parts = Arrays.copyOf(new String(input, StandardCharsets.UTF_8).split("/", 4), 4);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i] == null ? "" : parts[i];
        }
        ImageRequest request;
        try {
            request = ImageRequest.parse(parts[0], parts[1], parts[2], parts[3]);
        } catch (IiifFailure e) {
            assertRefusal(e, parts);
            return;
        }
        for (int[] image : IMAGES) {
            try {
                ImageRequest.Plan plan = request.resolve(image[0], image[1], Limits.STANDARD);
                String what = String.join("/", parts) + " on " + image[0] + "x" + image[1] + ": " + plan;
                assertTrue(plan.x() >= 0 && plan.y() >= 0 && plan.regionWidth() >= 1 && plan.regionHeight() >= 1
                        && (long) plan.x() + plan.regionWidth() <= image[0]
                        && (long) plan.y() + plan.regionHeight() <= image[1], "region outside the image: " + what);
                assertTrue(plan.width() >= 1 && plan.height() >= 1 && Limits.STANDARD.allows(plan.width(), plan.height()),
                        "size beyond the limits: " + what);
                assertTrue(plan.quarterTurns() >= 0 && plan.quarterTurns() < 4, "turns: " + what);
            } catch (IiifFailure e) {
                assertRefusal(e, parts);
            }
        }
    }

    private static void assertRefusal(IiifFailure e, String[] parts) {
        assertTrue((e.status() == 400 || e.status() == 501) && e.getMessage() != null && !e.getMessage().isBlank(),
                "refused " + String.join("/", parts) + " with " + e.status() + ": " + e.getMessage());
    }
}
