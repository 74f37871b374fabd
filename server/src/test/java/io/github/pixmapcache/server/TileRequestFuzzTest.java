package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the server's request parsing end to end: the input is the head of a raw HTTP/1.1 request
 * (the seeds are real requests: tile paths, query strings, the other routes, conditional GETs),
 * whose method, request target (paths, queries, percent escapes, bytes HTTP forbids) and headers
 * the fuzzer changes, sent over a socket to a running tile server. Every request gets a
 * well-formed status line, and never a 500: a bad path or query is a 4xx, a tile a 200 or 304, an
 * overload a 503, bytes that are not HTTP/1.1 Jetty's 501 or 505. IIIF paths have targets
 * of their own: {@code IiifRequestFuzzTest} and {@code iiif.ImageRequestFuzzTest}.
 */
class TileRequestFuzzTest {
    private static TestServer server;
    private static int port;

    @BeforeAll
    static void start() {
        server = TestServer.start("--metatile", "2", "--budget", "16m");
        port = server.uri("/").getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @FuzzTest(maxDuration = "10m")
    void requests(byte[] head) throws IOException {
        String request = new String(head, StandardCharsets.ISO_8859_1);

        String statusLine = exchange(head);

        if (statusLine.isEmpty()) {
            // Jetty may close without answering bytes that are not HTTP; the server must live on.
            assertEquals("HTTP/1.1 200 OK", exchange(healthCheck()), "the server answers after " + describe(request));
            return;
        }
        assertTrue(statusLine.matches("HTTP/1\\.1 [1-5][0-9][0-9]( .*)?"), "status line " + statusLine);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        // HTTP's own refusals are fine (501: a method Jetty does not know, 505: a version it cannot
        // read, the fuzzer's first "finding"); a 500, or any other 5xx, is a failure of ours.
        assertTrue(status < 500 || status == 501 || status == 503 || status == 505,
                statusLine + " for " + describe(request));
    }

    private static byte[] healthCheck() {
        return "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends the bytes, reads the answer to its end, returns its first line ("" when none came). */
    private static String exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // the server may close early on a malformed request; its answer is still readable
            }
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            try {
                for (int b = in.read(); b >= 0 && b != '\r' && b != '\n'; b = in.read()) {
                    line.append((char) b);
                }
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // a reset after the status line changes nothing
            }
            return line.toString();
        }
    }

    private static String describe(String request) {
        return request.replace("\r\n", "\\r\\n");
    }
}
