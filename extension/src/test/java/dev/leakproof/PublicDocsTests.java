package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What users read (the README, {@code docs/}, the examples' README, CONTRIBUTING and the public
 * API's sources) speaks their words: no word of this repository's history ("seed": the leak stories
 * it started from), no internal class or package named, no relative link to a file that is not
 * there, and a README short enough to be a landing page. Read from the files, so a failure names the
 * file and line to fix.
 */
class PublicDocsTests {

    /** The repository root, relative to the extension module (where Surefire runs). */
    static final Path ROOT = Path.of("..");

    static final int README_MAX_LINES = 150;

    private static final Pattern HISTORY_WORD = Pattern.compile("(?i)\\bseeds?\\b");

    private static final Pattern INTERNAL_PACKAGE = Pattern.compile("dev\\.leakproof(\\.fixture)?\\.internal");

    /** A Markdown link or image to a relative target: {@code [text](path)} or {@code [text](path#anchor)}. */
    private static final Pattern RELATIVE_LINK = Pattern.compile("\\]\\((?!https?:|mailto:|#)([^)#\\s]+)(#[^)]*)?\\)");

    @Test
    void theReadmeIsALandingPage() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        assertThat(lines.size())
                .as("README.md has %d lines: keep it a landing page (what it is, one failure, the coordinates, "
                        + "a start, the two commands, links) and move the rest to docs/", lines.size())
                .isLessThanOrEqualTo(README_MAX_LINES);
        assertThat(String.join("\n", lines)).as("README.md's two set-up commands")
                .contains("./mvnw -q -Pmain-job -DskipTests verify", "./mvnw -q verify");
    }

    @Test
    void publicDocsAndApiSourcesSayNoWordOfTheRepositorysHistory() {
        assertThat(matches(publicFiles(), HISTORY_WORD))
                .as("say \"leak story\" or what the story is about; users never saw this repository's seeds")
                .isEmpty();
    }

    @Test
    void publicDocsNameNoInternalPackageOrClass() {
        // CONTRIBUTING.md is for contributors, who work on the internal packages.
        List<Path> docs = docs().stream().filter(doc -> !doc.endsWith("CONTRIBUTING.md")).toList();
        List<String> found = new ArrayList<>(matches(docs, INTERNAL_PACKAGE));
        Set<String> internalNames = internalClassNames();
        assertThat(internalNames).as("a check that knows no internal class proves nothing")
                .contains("LeakSession", "Settings");
        Pattern named = Pattern.compile("`(" + String.join("|", internalNames) + ")[`.#(]");
        found.addAll(matches(docs, named));
        assertThat(found).as("internal classes are free to change: describe what they do instead").isEmpty();
    }

    @Test
    void everyRelativeLinkInTheDocsLeadsToAFile() {
        List<String> broken = new ArrayList<>();
        for (Path doc : docs()) {
            List<String> lines = read(doc);
            for (int i = 0; i < lines.size(); i++) {
                Matcher link = RELATIVE_LINK.matcher(lines.get(i));
                while (link.find()) {
                    if (!Files.exists(doc.getParent().resolve(link.group(1)))) {
                        broken.add(shortName(doc) + ":" + (i + 1) + " -> " + link.group(1));
                    }
                }
            }
        }
        assertThat(docs()).as("the docs this test reads").hasSizeGreaterThan(5);
        assertThat(broken).as("links to files that are not there").isEmpty();
    }

    /** The Markdown pages users read. */
    static List<Path> docs() {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md"),
                ROOT.resolve("examples/README.md")));
        try (Stream<Path> pages = Files.list(ROOT.resolve("docs"))) {
            pages.filter(page -> page.toString().endsWith(".md")).sorted().forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** The docs and the public API's sources (their Javadoc is what users read in the IDE). */
    static List<Path> publicFiles() {
        List<Path> files = new ArrayList<>(docs());
        for (Path source : PublicApiJavadocTests.PUBLIC_SOURCES) {
            try (Stream<Path> java = Files.list(source)) {
                java.filter(file -> file.toString().endsWith(".java")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /** Simple names of the extension's and the fixtures' internal classes. */
    static Set<String> internalClassNames() {
        Set<String> names = new TreeSet<>();
        for (Path root : List.of(Path.of("src/main/java/dev/leakproof/internal"),
                ROOT.resolve("fixtures/src/main/java/dev/leakproof/fixture/internal"))) {
            try (Stream<Path> files = Files.walk(root)) {
                files.map(file -> file.getFileName().toString())
                        .filter(name -> name.endsWith(".java") && !name.equals("package-info.java"))
                        .forEach(name -> names.add(name.substring(0, name.length() - ".java".length())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    private static List<String> matches(List<Path> files, Pattern pattern) {
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = read(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher matcher = pattern.matcher(lines.get(i));
                if (matcher.find()) {
                    found.add(shortName(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        return found;
    }

    /** The file as a contributor finds it: from the repository root. */
    private static String shortName(Path file) {
        Path path = file.normalize();
        return path.startsWith("..") ? path.subpath(1, path.getNameCount()).toString() : "extension/" + path;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
