package io.github.pixmapcache.server.docs;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.ext.heading.anchor.IdGenerator;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;

/**
 * Finds the relative links and images of Markdown pages that point nowhere: a file that does not
 * exist in the repository (or lies outside it, which a fresh clone cannot have), or an {@code #anchor}
 * that no heading of the target page makes, with GitHub's rule for heading anchors.
 */
final class DocsLinks {
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*:|//)");
    private static final Pattern HTML_ANCHOR = Pattern.compile("\\b(?:id|name)\\s*=\\s*\"([^\"]+)\"");

    private final Path repository;
    // every page's anchors, read once per target
    private final Map<Path, Set<String>> anchors = new HashMap<>();

    DocsLinks(Path repository) {
        this.repository = repository.toAbsolutePath().normalize();
    }

    /** One line per link of these pages that points nowhere, naming its place and its target. */
    List<String> broken(List<MarkdownPage> pages) {
        List<String> problems = new ArrayList<>();
        for (MarkdownPage page : pages) {
            page.document().accept(new AbstractVisitor() {
                @Override
                public void visit(Link link) {
                    check(page, link, link.getDestination()).ifPresent(problems::add);
                    visitChildren(link);
                }

                @Override
                public void visit(Image image) {
                    check(page, image, image.getDestination()).ifPresent(problems::add);
                }
            });
        }
        return problems;
    }

    /** How many relative links and images these pages have, so that a test can see it checked some. */
    static int relativeLinks(List<MarkdownPage> pages) {
        int[] count = {0};
        for (MarkdownPage page : pages) {
            page.document().accept(new AbstractVisitor() {
                @Override
                public void visit(Link link) {
                    count[0] += SCHEME.matcher(link.getDestination()).find() ? 0 : 1;
                    visitChildren(link);
                }

                @Override
                public void visit(Image image) {
                    count[0] += SCHEME.matcher(image.getDestination()).find() ? 0 : 1;
                }
            });
        }
        return count[0];
    }

    private Optional<String> check(MarkdownPage page, Node node, String destination) {
        if (SCHEME.matcher(destination).find()) {
            return Optional.empty();   // a web address: not checked here, the tests run offline
        }
        int hash = destination.indexOf('#');
        String file = URLDecoder.decode(hash < 0 ? destination : destination.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? "" : destination.substring(hash + 1);
        Path target = file.isEmpty() ? page.file() : page.file().toAbsolutePath().getParent().resolve(file).normalize();
        String where = page.where(repository, node) + ": (" + destination + ")";
        if (!target.startsWith(repository)) {
            return Optional.of(where + " leaves the repository; a fresh clone has no " + target);
        }
        if (!Files.exists(target)) {
            return Optional.of(where + " points to " + repository.relativize(target) + ", which does not exist");
        }
        if (!anchor.isEmpty() && target.toString().endsWith(".md") && !anchorsOf(target).contains(anchor)) {
            return Optional.of(where + " names #" + anchor + ", but no heading of "
                    + repository.relativize(target) + " makes it; it has " + new TreeSet<>(anchorsOf(target)));
        }
        return Optional.empty();
    }

    private Set<String> anchorsOf(Path page) {
        return anchors.computeIfAbsent(page, DocsLinks::readAnchors);
    }

    /** The anchors GitHub makes for a page: one per heading (repeats get -1, -2, ...), and HTML ids. */
    static Set<String> readAnchors(Path page) {
        IdGenerator ids = IdGenerator.builder().build();   // GitHub's rule: lower case, [\w-] kept, spaces to '-'
        Set<String> found = new HashSet<>();
        MarkdownPage.read(page).document().accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                found.add(ids.generateId(textOf(heading)));
            }

            @Override
            public void visit(HtmlInline html) {
                htmlAnchors(html.getLiteral());
            }

            @Override
            public void visit(HtmlBlock html) {
                htmlAnchors(html.getLiteral());
            }

            private void htmlAnchors(String html) {
                Matcher matcher = HTML_ANCHOR.matcher(html);
                while (matcher.find()) {
                    found.add(matcher.group(1));
                }
            }
        });
        return found;
    }

    /** A heading's text as GitHub reads it for the anchor: its text and code, without markup. */
    private static String textOf(Heading heading) {
        StringBuilder text = new StringBuilder();
        heading.accept(new AbstractVisitor() {
            @Override
            public void visit(Text node) {
                text.append(node.getLiteral());
            }

            @Override
            public void visit(Code node) {
                text.append(node.getLiteral());
            }
        });
        return text.toString();
    }
}
