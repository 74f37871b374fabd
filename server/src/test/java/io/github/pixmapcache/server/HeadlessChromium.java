package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.eclipse.jetty.util.ajax.JSON;

/**
 * Headless Chromium with the flags of tooling.md: the browser tests' one way to start it. Either one
 * run that loads a page and prints ({@link #run}), or a live page driven over the DevTools protocol
 * ({@link #open}), where the same rendering is both inspected and photographed.
 */
final class HeadlessChromium {
    /** How long one DevTools command, Chromium's start or its exit may take, even on a loaded machine. */
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private HeadlessChromium() {
    }

    /**
     * Loads {@code url} in a fresh profile under {@code dir}, lets {@code virtualTimeMillis} of page
     * time pass, and returns what Chromium printed (the DOM, with {@code --dump-dom}).
     */
    static String run(Path dir, String url, int virtualTimeMillis, String... flags) throws IOException, InterruptedException {
        List<String> command = command(dir);
        command.add("--virtual-time-budget=" + virtualTimeMillis);
        command.addAll(List.of(flags));
        command.add(url);
        Path out = Files.createTempFile(dir, "chromium", ".out");
        Path err = Files.createTempFile(dir, "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in " + PATIENCE.toSeconds() + " s");
        }
        assertEquals(0, process.exitValue(), () -> "chromium failed: " + read(err));
        return read(out);
    }

    /**
     * Starts Chromium with a fresh profile under {@code dir} and one blank page whose layout viewport is
     * exactly {@code width} x {@code height} CSS pixels at one device pixel each, so that a screenshot
     * pixel is a page pixel.
     */
    static DevToolsPage open(Path dir, int width, int height) throws IOException, InterruptedException {
        List<String> command = command(dir);
        command.addAll(List.of("--remote-debugging-port=0", "--window-size=" + width + "," + height, "about:blank"));
        Path err = Files.createTempFile(dir, "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        try {
            DevToolsPage page = DevToolsPage.connect(process, debuggingPort(dir, process, err));
            page.call("Emulation.setDeviceMetricsOverride",
                    Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
            return page;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            stop(process);
            throw e;
        }
    }

    /** The port Chromium chose, from the {@code DevToolsActivePort} file it writes into its profile. */
    private static int debuggingPort(Path dir, Process process, Path err) throws IOException, InterruptedException {
        Path file = dir.resolve("profile").resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("chromium exited with " + process.exitValue() + " before it listened: " + read(err));
            }
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (lines.size() >= 2) {   // written whole: the port, then the browser's path
                    return Integer.parseInt(lines.getFirst().strip());
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("chromium wrote no " + file + " in " + PATIENCE.toSeconds() + " s: " + read(err));
    }

    private static List<String> command(Path dir) {
        return new ArrayList<>(List.of(binary(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile")));
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String binary() {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                File candidate = new File(directory, name);
                if (candidate.canExecute()) {
                    return candidate.getPath();
                }
            }
        }
        throw new AssertionError("no chromium on the PATH: apt-get install -y chromium (./check does)");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /**
     * One page of a running Chromium, driven over the DevTools protocol on the JDK's WebSocket client
     * (messages are JSON, read and written with Jetty's {@code JSON}); close ends Chromium.
     */
    static final class DevToolsPage implements AutoCloseable {
        private final Process process;
        private final WebSocket socket;
        private final AtomicLong ids = new AtomicLong();
        /** Commands sent and not yet answered, by id. */
        private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

        private DevToolsPage(Process process, HttpClient http, URI page) throws InterruptedException {
            this.process = process;
            this.socket = await(http.newWebSocketBuilder().buildAsync(page, new Listener()), "connecting to " + page);
        }

        /** Connects to the page target that Chromium opened (its {@code about:blank}). */
        static DevToolsPage connect(Process process, int port) throws IOException, InterruptedException {
            HttpClient http = HttpClient.newBuilder().connectTimeout(PATIENCE).build();
            HttpResponse<String> targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(PATIENCE).build(), HttpResponse.BodyHandlers.ofString());
            for (Object target : (Object[]) new JSON().fromJSON(targets.body())) {
                Map<?, ?> fields = (Map<?, ?>) target;
                if ("page".equals(fields.get("type"))) {
                    return new DevToolsPage(process, http, URI.create((String) fields.get("webSocketDebuggerUrl")));
                }
            }
            throw new AssertionError("chromium lists no page target: " + targets.body());
        }

        /** Sends one command and returns its result; a protocol error fails the test, naming the command. */
        Map<String, Object> call(String method, Map<String, Object> params) throws InterruptedException {
            long id = ids.incrementAndGet();
            CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
            pending.put(id, answer);
            String message = new JSON().toJSON(Map.of("id", id, "method", method, "params", params));
            synchronized (socket) {   // one text message at a time: WebSocket forbids overlapping sends
                await(socket.sendText(message, true), method);
            }
            Map<String, Object> reply = await(answer, method);
            if (reply.containsKey("error")) {
                throw new AssertionError(method + " " + params + " failed: " + reply.get("error"));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) reply.get("result");
            return result;
        }

        /** Loads {@code url} in the page (its scripts then run on their own). */
        void navigate(String url) throws InterruptedException {
            Map<String, Object> result = call("Page.navigate", Map.of("url", url));
            if (result.containsKey("errorText")) {
                throw new AssertionError("navigating to " + url + ": " + result.get("errorText"));
            }
        }

        /** The value of a JavaScript expression in the page (a promise is awaited); a thrown error fails the test. */
        Object evaluate(String expression) throws InterruptedException {
            Map<String, Object> result = call("Runtime.evaluate",
                    Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
            if (result.containsKey("exceptionDetails")) {
                throw new AssertionError(expression + " threw: " + result.get("exceptionDetails"));
            }
            return ((Map<?, ?>) result.get("result")).get("value");
        }

        /** Dispatches one input event of the {@code Input.dispatchMouseEvent} command, e.g. a wheel turn. */
        void mouse(Map<String, Object> event) throws InterruptedException {
            call("Input.dispatchMouseEvent", event);
        }

        /** What the page shows now, as Chromium paints it: one pixel per CSS pixel of the viewport. */
        BufferedImage screenshot() throws InterruptedException, IOException {
            String png = (String) call("Page.captureScreenshot", Map.of("format", "png")).get("data");
            return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png)));
        }

        @Override
        public void close() {
            socket.abort();
            try {
                stop(process);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        private static <T> T await(CompletionStage<T> stage, String what) throws InterruptedException {
            try {
                return stage.toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError(what + " failed", e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError(what + ": no answer from chromium in " + PATIENCE.toSeconds() + " s", e);
            }
        }

        /** Joins each message's fragments, then completes the command it answers; events are not asked for. */
        private final class Listener implements WebSocket.Listener {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    Map<?, ?> fields = (Map<?, ?>) new JSON().fromJSON(message.toString());
                    message.setLength(0);
                    if (fields.get("id") instanceof Number id) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> reply = (Map<String, Object>) fields;
                        CompletableFuture<Map<String, Object>> answer = pending.remove(id.longValue());
                        if (answer != null) {
                            answer.complete(reply);
                        }
                    }
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                failPending(new IOException("chromium closed the DevTools connection: " + statusCode + " " + reason));
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                failPending(error);
            }

            private void failPending(Throwable error) {
                pending.values().forEach(answer -> answer.completeExceptionally(error));
                pending.clear();
            }
        }
    }
}
