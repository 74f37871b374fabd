package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.modulepath.CacheWorkout;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link CacheWorkout} in a new JVM with the library as a named module on the module path
 * (its compiled classes; it has no dependencies) and the workout on the class path, as an application would
 * use the jar.
 */
final class ModulePathRun {
    private ModulePathRun() {}

    record Run(int exitCode, String output) {}

    /** Runs CacheWorkout with {@code javaOptions}; its exit code and its stdout and stderr together. */
    static Run run(String... javaOptions) throws IOException, InterruptedException, URISyntaxException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--module-path");
        command.add(locationOf(PixmapCache.class).toString());
        command.add("--add-modules");
        command.add("io.github.pixmapcache");
        command.addAll(List.of(javaOptions));
        command.add("--class-path");
        command.add(locationOf(CacheWorkout.class).toString());  // test classes: only the workout's package loads from here
        command.add(CacheWorkout.class.getName());

        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the workout did not finish");
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    static Path locationOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
