package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Headless Chromium on one page with the flags of tooling.md: the browser tests' one way to start it. */
final class HeadlessChromium {
    private HeadlessChromium() {
    }

    /**
     * Loads {@code url} in a fresh profile under {@code dir}, lets {@code virtualTimeMillis} of page
     * time pass, and returns what Chromium printed (the DOM, with {@code --dump-dom}).
     */
    static String run(Path dir, String url, int virtualTimeMillis, String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile"),
                "--virtual-time-budget=" + virtualTimeMillis));
        command.addAll(List.of(flags));
        command.add(url);
        Path out = Files.createTempFile(dir, "chromium", ".out");
        Path err = Files.createTempFile(dir, "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s");
        }
        assertEquals(0, process.exitValue(), () -> "chromium failed: " + read(err));
        return read(out);
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
}
