package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the IIIF routes end to end: the input is what follows {@code /iiif/3/} in a request
 * target (the seeds are real requests: info.json, the bare base URI, every parameter form of
 * level 2, identifiers with %2F and traversal attempts, query strings), sent over a socket as a
 * GET to a server serving a folder of real images (a PNG, a JPEG, one in a subfolder). Bytes a
 * request target cannot hold (controls, space, non-ASCII) are percent-escaped so that the input
 * reaches the IIIF handler rather than Jetty's parser ({@code tile-request} fuzzes that). Every
 * answer is one of the Image API's statuses (200, 303, 400, 404, 501; the sources are valid, so
 * never a 500), an error or a 303 is a short text/plain body, a 303 points at an info.json, a 200
 * has an image or JSON type and its Content-Length; the server logs no exception; it answers
 * {@code /health} after every 50th input and after any answer that is not a status line.
 */
class IiifRequestFuzzTest {
    private static final Set<Integer> STATUSES = Set.of(200, 303, 400, 404, 501);
    private static final Set<String> TYPES = Set.of("image/jpeg", "image/png", "image/webp", "image/gif", "image/tiff",
            "application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\"", "application/json");

    @TempDir
    static Path images;
    private static CapturedOutput output;
    private static TestServer server;
    private static int port;
    private static int inputs;

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(images.resolve("maps"));
        IiifFixtures.write(IiifFixtures.picture(67, 45), images.resolve("picture.png"));
        IiifFixtures.write(IiifFixtures.picture(45, 67), images.resolve("photo.jpg"));
        IiifFixtures.write(IiifFixtures.picture(32, 32), images.resolve("maps/copy.png"));
        output = new CapturedOutput();
        server = TestServer.start("--images", images.toString(), "--budget", "256m");
        port = server.uri("/").getPort();
    }

    @AfterAll
    static void stop() {
        try {
            server.close();
        } finally {
            output.close();
        }
    }

    @FuzzTest(maxDuration = "10m")
    void requests(byte[] input) throws IOException {
        String target = "/iiif/3/" + escape(input);
        int logged = output.text().length();

        Answer answer = exchange(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));

        assertFalse(answer.statusLine.isEmpty(), "no answer to " + target);
        assertTrue(answer.statusLine.matches("HTTP/1\\.1 [1-5][0-9][0-9]( .*)?"), "status line " + answer.statusLine);
        int status = Integer.parseInt(answer.statusLine.substring(9, 12));
        assertTrue(STATUSES.contains(status), answer.statusLine + " for " + target + ": " + answer.text());
        String type = answer.header("content-type");
        if (status == 200) {
            assertTrue(type != null && TYPES.contains(type.replace(" ", "").toLowerCase(Locale.ROOT)),
                    "200 of type " + type + " for " + target);
        } else {
            assertTrue(type != null && type.startsWith("text/plain"), status + " of type " + type + " for " + target);
            assertTrue(answer.body.length <= 512 + 4 * target.length(),
                    status + " with a body of " + answer.body.length + " bytes for " + target);
            assertTrue(answer.text().startsWith(status + " "), "the body names its status: " + answer.text());
        }
        if (status == 303) {
            String location = answer.header("location");
            assertTrue(location != null && location.endsWith("/info.json"), "303 to " + location + " for " + target);
        }
        String length = answer.header("content-length");
        assertEquals(String.valueOf(answer.body.length), length, "Content-Length for " + target);
        String log = serverLog(output.text().substring(logged));
        assertFalse(log.contains("Exception") || log.contains("SEVERE") || log.contains("WARNING"),
                "the server logged, for " + target + ":\n" + log);
        if (++inputs % 50 == 0) {
            assertEquals("HTTP/1.1 200 OK", exchange(healthCheck()).statusLine, "the server answers after " + target);
        }
    }

    /**
     * The captured text without Jazzer's own lines: its agent reports each JDK class it cannot
     * instrument on JDK 25 ("WARN: Failed to instrument …", an {@code IllegalArgumentException} and
     * its stack) when the class is first loaded, such as the socket classes at the first request.
     */
    private static String serverLog(String captured) {
        StringBuilder log = new StringBuilder();
        boolean jazzer = false;
        for (String line : captured.split("\n")) {
            if (line.startsWith("WARN: Failed to instrument") || line.startsWith("INFO: Instrumented")) {
                jazzer = true;
            } else if (!(jazzer && (line.startsWith("\t") || line.startsWith("java.lang.IllegalArgumentException: Unsupported class file")))) {
                jazzer = false;
                log.append(line).append('\n');
            }
        }
        return log.toString().strip();
    }

    /** The input as a request target: printable ASCII as it is ({@code %}, {@code ?} included), every other byte escaped. */
    private static String escape(byte[] input) {
        StringBuilder out = new StringBuilder();
        for (byte b : input) {
            int c = b & 0xFF;
            if (c > 0x20 && c < 0x7F && c != '#') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    private static byte[] healthCheck() {
        return "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    /** A response read to its end: the status line ("" when none came), the header lines, the body. */
    private record Answer(String statusLine, String[] headers, byte[] body) {
        String header(String name) {
            for (String line : headers) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        String text() {
            return new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        }
    }

    private static Answer exchange(byte[] request) throws IOException {
        byte[] all;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            all = in.readAllBytes();
        }
        int end = -1;
        for (int i = 0; i + 3 < all.length; i++) {
            if (all[i] == '\r' && all[i + 1] == '\n' && all[i + 2] == '\r' && all[i + 3] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return new Answer(new String(all, StandardCharsets.ISO_8859_1).lines().findFirst().orElse(""), new String[0],
                    new byte[0]);
        }
        String[] head = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        return new Answer(head[0], Arrays.copyOfRange(head, 1, head.length), Arrays.copyOfRange(all, end + 4, all.length));
    }
}
