package io.github.pixmapcache.server.iiif;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The folder of source images. An identifier is a file's path under it without the extension
 * ({@code maps/1850} for {@code maps/1850.jpg}). Nothing outside the folder is ever opened: an
 * identifier with an empty, {@code .} or {@code ..} segment, a backslash, a colon or a control
 * character is refused before the file system is asked, and a file whose real path (links
 * followed) leaves the folder's real path is treated as missing.
 */
final class SourceFolder {
    /** Extensions of the formats served, in the order they are tried for an identifier. */
    private static final List<String> EXTENSIONS = List.of("jpg", "jpeg", "png", "tif", "tiff", "gif", "bmp", "wbmp");
    private static final Set<String> EXTENSION_SET = Set.copyOf(EXTENSIONS);
    /** Identifiers longer than this are refused before any lookup. */
    private static final int MAX_IDENTIFIER_LENGTH = 1024;

    private final Path root;

    /** @param root an existing directory */
    SourceFolder(Path root) {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("the images folder " + root + " cannot be read", e);
        }
        if (!Files.isDirectory(this.root)) {
            throw new IllegalArgumentException("not a directory: " + root);
        }
    }

    Path root() {
        return root;
    }

    /** The file of {@code identifier}; 400 for an identifier that could name something outside, 404 for none. */
    Path file(String identifier) {
        checkIdentifier(identifier);
        for (String extension : EXTENSIONS) {
            Path candidate = root.resolve(identifier + "." + extension);
            for (Path file : List.of(candidate, candidate.resolveSibling(identifier.substring(identifier.lastIndexOf('/') + 1)
                    + "." + extension.toUpperCase(Locale.ROOT)))) {
                if (Files.isRegularFile(file) && inside(file)) {
                    return file;
                }
            }
        }
        throw new IiifFailure(404, "no image with the identifier " + identifier);
    }

    private static void checkIdentifier(String identifier) {
        if (identifier.isEmpty() || identifier.length() > MAX_IDENTIFIER_LENGTH) {
            throw IiifFailure.badRequest("an identifier has 1 to " + MAX_IDENTIFIER_LENGTH + " characters");
        }
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '\\' || c == ':') {
                throw IiifFailure.badRequest("an identifier has no control characters, backslashes or colons: "
                        + printable(identifier));
            }
        }
        for (String segment : identifier.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw IiifFailure.badRequest("an identifier is a relative path without empty, . or .. parts: "
                        + printable(identifier));
            }
        }
    }

    /** Whether the file, links followed, lies in the folder. */
    private boolean inside(Path file) {
        try {
            return file.toRealPath().startsWith(root);
        } catch (IOException e) {
            return false;
        }
    }

    /** The identifiers of every image file under the folder (links out of it left out), sorted. */
    List<String> identifiers() {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(file))
                    .filter(file -> EXTENSION_SET.contains(extension(file)))
                    .filter(this::inside)
                    .forEach(file -> {
                        String relative = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                        ids.add(relative.substring(0, relative.lastIndexOf('.')));
                    });
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("listing " + root + ": " + e.getMessage(), e);
        }
        return ids.stream().distinct().sorted().toList();
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7F) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
