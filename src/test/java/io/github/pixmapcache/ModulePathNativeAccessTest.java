package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The library as a named module on the module path, used by an application on the class path (the
 * CacheWorkout, which allocates, inserts, loads and frees pixmaps): with {@code --enable-native-access} naming the
 * module the JDK prints no restricted-method warning; without it, it does, so the check can fail.
 */
class ModulePathNativeAccessTest {
    private static final String WARNING = "WARNING: A restricted method";

    @Test
    void nativeAccessForTheModuleSilencesTheRestrictedMethodWarning() throws Exception {
        ModulePathRun.Run run = ModulePathRun.run("--enable-native-access=io.github.pixmapcache");

        assertEquals(0, run.exitCode(), run.output());
        assertFalse(run.output().contains(WARNING), run.output());
        assertTrue(run.output().contains("cache closed"), "the workout ran to its end: " + run.output());
    }

    @Test
    void withoutNativeAccessTheJdkWarnsAboutTheModule() throws Exception {
        ModulePathRun.Run run = ModulePathRun.run();

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains(WARNING), run.output());
        assertTrue(run.output().contains("module io.github.pixmapcache"), run.output());
    }
}
