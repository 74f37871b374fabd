package io.github.pixmapcache.javafx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The tests run on the module path: the module is named and exports only its API package. */
class ModuleTest {

    @Test
    void onlyTheApiPackageIsExported() {
        Module module = PixmapImage.class.getModule();
        assertTrue(module.isNamed(), "run on the module path");
        ModuleDescriptor descriptor = module.getDescriptor();
        assertEquals("io.github.pixmapcache.javafx", descriptor.name());
        assertEquals(Set.of("io.github.pixmapcache.javafx"),
                descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
    }
}
