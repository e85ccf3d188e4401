package dev.hotpool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The links of the project's Markdown pages (README.md, docs/*.md, benchmarks/README.md, CHANGELOG.md): every
 * relative link names a file or folder of the repository, and where it names a heading ({@code page.md#heading},
 * {@code #heading}) the page has that heading, by GitHub's anchor rule. The README links to nothing outside the
 * repository. Links inside code (fenced blocks, {@code `spans`}) are not links.
 */
class DocsLinksTests {

    /** {@code [text](target)} and {@code ![alt](target)}, with an optional title after the target. */
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

    /** {@code [label]: target}, a reference link's definition. */
    private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?");

    /** An absolute URL ({@code https:}, {@code mailto:}, …) or a protocol-relative one. */
    private static final Pattern ABSOLUTE = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*:|//)");

    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");

    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");

    @Test
    void everyRelativeLinkOfTheProjectsPagesResolves() throws IOException {
        Path root = repositoryRoot();
        List<Path> pages = pages(root);
        assertThat(pages).as("pages checked").hasSizeGreaterThan(5);

        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            broken.addAll(brokenLinks(root, page));
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void theReadmeLinksOnlyToFilesOfTheRepository() throws IOException {
        Path readme = repositoryRoot().resolve("README.md");
        List<String> outside = links(readme).stream()
            .filter((link) -> ABSOLUTE.matcher(link.target()).find())
            .map(Link::toString)
            .toList();
        assertThat(links(readme)).as("links of README.md").isNotEmpty();
        assertThat(outside).as("README.md links outside the repository").isEmpty();
    }

    @Test
    void aLinkToAMissingFileOrHeadingIsReportedAndCodeIsNotALink(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/b.md"), """
                # Page b

                ## A heading, with `code` and punctuation!

                ## A heading, with `code` and punctuation!
                """);
        Files.writeString(root.resolve("a.md"), """
                # Top heading

                [fine](docs/b.md), [a folder](docs/), [an anchor](docs/b.md#a-heading-with-code-and-punctuation)
                and its twin [twin](docs/b.md#a-heading-with-code-and-punctuation-1), [here](#top-heading),
                ![a picture](docs/b.md "title"), [web](https://example.com/missing.md) and `[code](nowhere.md)`.
                [gone](docs/missing.md) and [no such heading](docs/b.md#nope) and [nor here](#nope).
                [out of the repository](../outside.md)

                ```
                [in a code block](nowhere.md)
                ```

                [ref]: docs/also-missing.md
                """);

        assertThat(brokenLinks(root, root.resolve("a.md"))).containsExactly(
                "a.md:6: docs/missing.md (no such file)",
                "a.md:6: docs/b.md#nope (no such heading in docs/b.md)",
                "a.md:6: #nope (no such heading in a.md)",
                "a.md:7: ../outside.md (outside the repository)",
                "a.md:13: docs/also-missing.md (no such file)");
    }

    /** The folder holding the root pom.xml: tests run in hotpool-core. */
    private static Path repositoryRoot() {
        Path root = Path.of("").toAbsolutePath().resolve("..").normalize();
        assertThat(root.resolve("pom.xml")).as("the repository's root pom").exists();
        assertThat(root.resolve("hotpool-core")).isDirectory();
        return root;
    }

    private static List<Path> pages(Path root) throws IOException {
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("CHANGELOG.md"),
                root.resolve("benchmarks/README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter((p) -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** Every broken link of a page, as {@code page:line: target (why)}. */
    static List<String> brokenLinks(Path root, Path page) throws IOException {
        Map<Path, Set<String>> anchors = new HashMap<>();
        String name = root.relativize(page).toString().replace('\\', '/');
        List<String> broken = new ArrayList<>();
        for (Link link : links(page)) {
            String target = link.target();
            if (ABSOLUTE.matcher(target).find()) {
                continue;
            }
            int hash = target.indexOf('#');
            String path = hash >= 0 ? target.substring(0, hash) : target;
            String fragment = hash >= 0 ? target.substring(hash + 1) : "";
            Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
            String where = name + ":" + link.line() + ": " + target;
            if (!file.startsWith(root)) {
                broken.add(where + " (outside the repository)");
            }
            else if (!Files.exists(file)) {
                broken.add(where + " (no such file)");
            }
            else if (!fragment.isEmpty() && file.toString().endsWith(".md")
                    && !anchors.computeIfAbsent(file, DocsLinksTests::anchors).contains(fragment)) {
                broken.add(where + " (no such heading in " + root.relativize(file).toString().replace('\\', '/')
                        + ")");
            }
        }
        return broken;
    }

    /** The links of a page outside code, in order. */
    static List<Link> links(Path page) throws IOException {
        List<Link> links = new ArrayList<>();
        boolean inFence = false;
        int number = 0;
        for (String line : Files.readAllLines(page)) {
            number++;
            String stripped = line.strip();
            if (stripped.startsWith("```") || stripped.startsWith("~~~")) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            String text = CODE_SPAN.matcher(line).replaceAll("");
            Matcher inline = INLINE_LINK.matcher(text);
            while (inline.find()) {
                links.add(new Link(number, inline.group(1)));
            }
            Matcher reference = REFERENCE.matcher(text);
            if (reference.find()) {
                links.add(new Link(number, reference.group(1)));
            }
        }
        return links;
    }

    /** The anchors GitHub gives a page's headings: {@code ## The `jdk` provider} is {@code #the-jdk-provider}. */
    private static Set<String> anchors(Path page) {
        List<String> lines;
        try {
            lines = Files.readAllLines(page);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : lines) {
            String stripped = line.strip();
            if (stripped.startsWith("```") || stripped.startsWith("~~~")) {
                inFence = !inFence;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (inFence || !heading.matches()) {
                continue;
            }
            String slug = slug(heading.group(2));
            int count = seen.merge(slug, 1, Integer::sum);
            anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
        return anchors;
    }

    /** GitHub's rule: the heading's text, lower case, only letters, digits, {@code _}, {@code -} and spaces. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "").replace("*", "");
        StringBuilder slug = new StringBuilder();
        text.toLowerCase(Locale.ROOT).codePoints().forEach((c) -> {
            if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
                slug.appendCodePoint(c);
            }
            else if (c == ' ') {
                slug.append('-');
            }
        });
        return slug.toString();
    }

    record Link(int line, String target) {

        @Override
        public String toString() {
            return this.line + ": " + this.target;
        }
    }
}
