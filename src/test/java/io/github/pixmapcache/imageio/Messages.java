package io.github.pixmapcache.imageio;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The image I/O tests' one check of what an exception says. */
final class Messages {
    private Messages() {
    }

    /** Fails unless {@code thrown}'s message contains {@code expectedPart}, showing both. */
    static void assertMessage(String expectedPart, Throwable thrown) {
        assertTrue(String.valueOf(thrown.getMessage()).contains(expectedPart),
                "'" + thrown.getMessage() + "' should contain '" + expectedPart + "'");
    }
}
