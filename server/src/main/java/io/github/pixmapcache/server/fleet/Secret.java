package io.github.pixmapcache.server.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * A password held as characters that no {@code toString()}, log line or exception ever shows: it
 * leaves this object only towards Lettuce ({@link #chars()}) and is compared in constant time.
 */
public final class Secret {

    private final char[] chars;

    private Secret(char[] chars) {
        if (chars.length == 0) {
            throw new IllegalArgumentException("the secret is empty");
        }
        this.chars = chars;
    }

    /**
     * The secret {@code text}, as given in an environment variable.
     *
     * @param text the secret; not empty
     * @return the secret
     * @throws IllegalArgumentException if {@code text} is empty (the message never holds the text)
     */
    public static Secret of(String text) {
        return new Secret(text.toCharArray());
    }

    /**
     * The secret in {@code file}: its UTF-8 text without one trailing line break, so that
     * {@code echo pass > file} works.
     *
     * @param file the file holding the secret and nothing else
     * @return the secret
     * @throws IllegalArgumentException naming the file (never its content) if it cannot be read or is empty
     */
    public static Secret fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the secret file " + file + ": " + e.getClass().getSimpleName(), e);
        }
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - (text.endsWith("\r\n") ? 2 : 1));
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the secret file " + file + " is empty");
        }
        return new Secret(text.toCharArray());
    }

    /** A copy of the characters, for the client that sends them. */
    char[] chars() {
        return chars.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && MessageDigest.isEqual(
                new String(chars).getBytes(StandardCharsets.UTF_8), new String(secret.chars).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0; // equal secrets must hash alike; a hash of the characters would leak a hint of them
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "****";
    }
}
