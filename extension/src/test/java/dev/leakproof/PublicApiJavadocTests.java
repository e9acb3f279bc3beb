package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public type of the API (the extension's {@code dev.leakproof} and the fixtures'
 * {@code dev.leakproof.fixture}, without their {@code internal} packages) shows a copy-paste
 * example, {@code <pre>{@code ...}</pre>}, in its class Javadoc: the first thing a user reads.
 * Read from the sources, so it names the type and file to fix; the Javadoc build itself checks the
 * HTML and references (doclint) but not that an example is there. And every public type, inside
 * or out, says its API status with JUnit's own {@code @API}: a user's IDE and tools such as
 * japicmp read it, so a public class of an {@code internal} package says {@code INTERNAL}, and the
 * public API says how settled it is.
 */
class PublicApiJavadocTests {

    /** Source roots of the public packages, relative to the extension module (where Surefire runs). */
    static final List<Path> PUBLIC_SOURCES = List.of(
            Path.of("src/main/java/dev/leakproof"),
            Path.of("../fixtures/src/main/java/dev/leakproof/fixture"));

    static final String EXAMPLE = "<pre>{@code";

    /** Source roots of every main class of both modules, internal packages included. */
    static final List<Path> ALL_SOURCES = List.of(Path.of("src/main/java"), Path.of("../fixtures/src/main/java"));

    private static final Pattern API_STATUS = Pattern.compile("@API\\(status\\s*=\\s*(?:API\\.)?(?:Status\\.)?(\\w+)");

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    /** A top-level type: its annotations and modifiers start in the first column, unlike nested types and Javadoc lines. */
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "^((?:@[\\w.]+(?:\\([^)]*\\))?\\s+)*)"
                    + "((?:(?:public|abstract|final|sealed|non-sealed|strictfp)\\s+)*)"
                    + "(?:class|interface|enum|record|@interface)\\s+(\\w+)",
            Pattern.MULTILINE);

    @Test
    void everyPublicTypeShowsAnExampleInItsClassJavadoc() {
        List<PublicType> types = publicTypes();
        List<String> withoutExample = types.stream().filter(type -> !type.hasExample())
                .map(type -> type.name() + " (" + type.file() + ")").toList();
        assertThat(withoutExample)
                .as("public types without a copy-paste example (%s ...}</pre>) in their class Javadoc", EXAMPLE)
                .isEmpty();
    }

    @Test
    void everyPublicTypeOfTheApiSaysItsStatus() {
        List<String> without = publicTypes().stream()
                .filter(type -> type.apiStatus().isEmpty() || type.apiStatus().get().equals("INTERNAL"))
                .map(type -> type.name() + " (" + type.file() + ": " + type.apiStatus().orElse("no @API") + ")")
                .toList();
        assertThat(without)
                .as("public types of the API without @API(status = EXPERIMENTAL, MAINTAINED or STABLE, since = ...)")
                .isEmpty();
    }

    @Test
    void everyPublicTypeOfAnInternalPackageIsMarkedInternal() {
        List<PublicType> internal = allPublicTypes().stream().filter(type -> type.name().contains(".internal.")).toList();
        assertThat(internal).as("a check that finds nothing proves nothing").hasSizeGreaterThan(50);
        assertThat(internal.stream().filter(type -> !type.apiStatus().equals(Optional.of("INTERNAL")))
                .map(type -> type.name() + " (" + type.apiStatus().orElse("no @API") + ")").toList())
                .as("public types of internal packages without @API(status = INTERNAL, since = ...)")
                .isEmpty();
    }

    @Test
    void anApiStatusIsReadFromTheTypesAnnotations() {
        assertThat(parse("""
                package com.example.internal;

                import org.apiguardian.api.API;

                /** Inside. */
                @API(status = API.Status.INTERNAL, since = "0.1")
                public final class Thing {
                }
                """, Path.of("Thing.java"))).hasValueSatisfying(type -> assertThat(type.apiStatus()).hasValue("INTERNAL"));
        assertThat(parse("""
                package com.example;

                /** Without a status; a member's annotation is not the type's. */
                public final class Thing {
                    @API(status = API.Status.STABLE, since = "0.1")
                    public void run() {
                    }
                }
                """, Path.of("Thing.java"))).hasValueSatisfying(type -> assertThat(type.apiStatus()).isEmpty());
    }

    @Test
    void theCheckReadsBothModulesPublicPackagesAndNoInternalOne() {
        List<String> names = publicTypes().stream().map(PublicType::name).toList();
        assertThat(names).as("a check that finds nothing proves nothing")
                .contains("dev.leakproof.DetectConnectionLeaks", "dev.leakproof.ConnectionLeakDetector",
                        "dev.leakproof.fixture.TlsFixtureServer", "dev.leakproof.fixture.ConnectionDriver")
                .noneMatch(name -> name.contains(".internal."));
    }

    @Test
    void aTypeWithoutAnExampleIsFoundAndNamed() {
        assertThat(parse("""
                package com.example;

                /**
                 * Does things.
                 *
                 * <pre>{@code
                 * new Thing().run();
                 * }</pre>
                 */
                @Deprecated
                @SuppressWarnings("unused")
                public final class Thing {
                }
                """, Path.of("Thing.java"))).hasValueSatisfying(type -> {
                    assertThat(type.name()).isEqualTo("com.example.Thing");
                    assertThat(type.hasExample()).isTrue();
                });

        assertThat(parse("""
                package com.example;

                /** Does things, with no example. */
                public interface Thing {
                    /**
                     * A method's example is not the type's.
                     *
                     * <pre>{@code
                     * thing.run();
                     * }</pre>
                     */
                    void run();
                }
                """, Path.of("Thing.java"))).hasValueSatisfying(type -> assertThat(type.hasExample()).isFalse());

        assertThat(parse("""
                package com.example;

                import java.util.List;

                public record Thing(List<String> parts) {
                }
                """, Path.of("Thing.java"))).hasValueSatisfying(type -> {
                    assertThat(type.name()).isEqualTo("com.example.Thing");
                    assertThat(type.hasExample()).as("no Javadoc at all").isFalse();
                });

        assertThat(parse("""
                package com.example;

                /** Package-private: not API, no example needed. */
                final class Thing {
                }
                """, Path.of("Thing.java"))).isEmpty();
    }

    record PublicType(String name, Path file, String javadoc, String annotations) {
        boolean hasExample() {
            return javadoc.contains(EXAMPLE);
        }

        /** The status of the type's own {@code @API}, e.g. {@code EXPERIMENTAL}. */
        Optional<String> apiStatus() {
            Matcher status = API_STATUS.matcher(annotations);
            return status.find() ? Optional.of(status.group(1)) : Optional.empty();
        }
    }

    private static List<PublicType> allPublicTypes() {
        List<PublicType> types = new ArrayList<>();
        for (Path root : ALL_SOURCES) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.getFileName().toString().endsWith(".java"))
                        .filter(f -> !f.getFileName().toString().equals("package-info.java"))
                        .sorted()
                        .forEach(f -> parse(read(f), f).ifPresent(types::add));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return types;
    }

    private static List<PublicType> publicTypes() {
        List<PublicType> types = new ArrayList<>();
        for (Path root : PUBLIC_SOURCES) {
            assertThat(root).as("public sources (the test runs in the extension module)").isDirectory();
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.getFileName().toString().endsWith(".java"))
                        .filter(f -> !f.getFileName().toString().equals("package-info.java"))
                        .filter(f -> !root.relativize(f).toString().replace('\\', '/').matches("(.*/)?internal/.*"))
                        .sorted()
                        .forEach(f -> parse(read(f), f).ifPresent(types::add));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return types;
    }

    /** The file's public top-level type with the Javadoc right before it ("" without one); empty when not public. */
    static Optional<PublicType> parse(String source, Path file) {
        Matcher type = TOP_LEVEL_TYPE.matcher(source);
        if (!type.find() || !type.group(2).contains("public")) {
            return Optional.empty();
        }
        Matcher pkg = PACKAGE.matcher(source);
        String name = (pkg.find() ? pkg.group(1) + "." : "") + type.group(3);
        String before = source.substring(0, type.start()).stripTrailing();
        String javadoc = "";
        int start = before.lastIndexOf("/**");
        // the comment right before the type: the first "*/" after its start is the end of the text before the type
        if (start >= 0 && before.endsWith("*/") && before.indexOf("*/", start + 2) == before.length() - 2) {
            javadoc = before.substring(start);
        }
        return Optional.of(new PublicType(name, file, javadoc, type.group(1)));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
