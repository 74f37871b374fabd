package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.demo.CacheDemo;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.lang3.Validate;
import org.junit.jupiter.api.Test;

/**
 * The library as a named module on the module path, used by an application on the class path (the
 * demo, which allocates, inserts and frees pixmaps): with {@code --enable-native-access} naming the
 * module the JDK prints no restricted-method warning; without it, it does, so the check can fail.
 */
class ModulePathNativeAccessTest {
    private static final String WARNING = "WARNING: A restricted method";

    @Test
    void nativeAccessForTheModuleSilencesTheRestrictedMethodWarning() throws Exception {
        Run run = runDemoOnModulePath("--enable-native-access=io.github.pixmapcache");

        assertEquals(0, run.exitCode(), run.output());
        assertFalse(run.output().contains(WARNING), run.output());
        assertTrue(run.output().contains("cache closed"), "the demo ran to its end: " + run.output());
    }

    @Test
    void withoutNativeAccessTheJdkWarnsAboutTheModule() throws Exception {
        Run run = runDemoOnModulePath();

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains(WARNING), run.output());
        assertTrue(run.output().contains("module io.github.pixmapcache"), run.output());
    }

    private record Run(int exitCode, String output) {}

    private static Run runDemoOnModulePath(String... javaOptions) throws IOException, InterruptedException, URISyntaxException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--module-path");
        command.add(locationOf(PixmapCache.class) + File.pathSeparator + locationOf(Validate.class));
        command.add("--add-modules");
        command.add("io.github.pixmapcache");
        command.addAll(List.of(javaOptions));
        command.add("--class-path");
        command.add(locationOf(CacheDemo.class).toString());   // test classes: only the demo's package loads from here
        command.add(CacheDemo.class.getName());
        command.addAll(List.of("--requests", "2000", "--threads", "2"));

        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the demo did not finish");
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static Path locationOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
