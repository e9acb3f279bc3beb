package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rules of ARCHITECTURE.md, checked on the sources: packages by concern on floors, each
 * importing only from floors below it (so no cycles), the public API's contracts usable everywhere
 * but its entry point nowhere inside, nothing from another module's {@code internal}, every
 * package saying in a {@code package-info.java} what lives there, and small files.
 */
class ArchitectureTests {

    private static final Path SOURCES = Path.of("src/main/java/dev/leakproof");
    private static final String INTERNAL = "dev.leakproof.internal.";

    /** Each internal package's floor: a package may import only packages on lower floors. */
    static final Map<String, Integer> FLOORS = Map.ofEntries(
            Map.entry("text", 0), Map.entry("wait", 0), Map.entry("jvm", 0),
            Map.entry("config", 1), Map.entry("gc", 1), Map.entry("os", 1), Map.entry("tracking", 1),
            Map.entry("netty", 1), Map.entry("pipeline", 1), Map.entry("finding", 1),
            Map.entry("origin", 1), Map.entry("hprof", 1), Map.entry("heap", 2), Map.entry("size", 2), Map.entry("trace", 2),
            Map.entry("growth", 3),
            Map.entry("check", 4),
            Map.entry("report", 5),
            Map.entry("session", 6));

    /** Types of the public API that the inside may use: contracts, not the extension's entry point. */
    static final Set<String> API_CONTRACTS = Set.of("dev.leakproof.DetectConnectionLeaks", "dev.leakproof.LeakTracker",
            "dev.leakproof.ServerPipeline", "dev.leakproof.ConnectionLeakError",
            "dev.leakproof.ResourceGrowth", "dev.leakproof.TargetServer", "dev.leakproof.Protocol",
            "dev.leakproof.RetainedSizeBudget", "dev.leakproof.GrowthRun", "dev.leakproof.StepLoad");

    /**
     * Classes of another module's {@code internal} that the extension may use: the one check of the
     * Netty class path, so that the fixture server and the extension fail with the same words; and
     * the project's one JSON codec, which the benchmarks and the fixtures' tests use too.
     */
    static final Set<String> SHARED_FIXTURE_INTERNALS = Set.of("dev.leakproof.fixture.internal.NettyVersions",
            "dev.leakproof.fixture.internal.json.JsonWriter", "dev.leakproof.fixture.internal.json.JsonReader");

    /** Main source files allowed over {@value #MAX_LINES} lines, each one cohesive thing (none today). */
    /** The annotation: one attribute per setting, each with its Javadoc, is one cohesive thing. */
    static final Set<String> LARGE_BY_DESIGN = Set.of("DetectConnectionLeaks.java");
    static final int MAX_LINES = 300;

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)(?:\\.\\*)?;", Pattern.MULTILINE);

    @Test
    void everyInternalPackageIsOnAFloorAndSaysWhatLivesThere() {
        for (Path dir : internalPackages()) {
            String name = dir.getFileName().toString();
            assertThat(FLOORS).as("floor of internal package %s (add it to FLOORS and ARCHITECTURE.md)", name)
                    .containsKey(name);
            assertThat(dir.resolve("package-info.java")).as("package-info.java of %s", name).exists();
        }
        assertThat(sourcesIn(SOURCES.resolve("internal"), false)).as("classes directly in dev.leakproof.internal").isEmpty();
    }

    @Test
    void internalPackagesImportOnlyFromLowerFloors() {
        List<String> violations = new ArrayList<>();
        for (Path dir : internalPackages()) {
            String from = dir.getFileName().toString();
            for (Path file : sourcesIn(dir, false)) {
                for (String imported : imports(file)) {
                    if (imported.startsWith(INTERNAL)) {
                        String to = imported.substring(INTERNAL.length()).split("\\.")[0];
                        if (!to.equals(from) && FLOORS.getOrDefault(to, 99) >= FLOORS.get(from)) {
                            violations.add(file.getFileName() + " (" + from + ", floor " + FLOORS.get(from) + ") imports "
                                    + imported + " (" + to + ", floor " + FLOORS.get(to) + ")");
                        }
                    } else if (imported.startsWith("dev.leakproof.") && !imported.startsWith("dev.leakproof.fixture.")
                            && !API_CONTRACTS.contains(imported)) {
                        violations.add(file.getFileName() + " (" + from + ") imports the API's " + imported);
                    }
                }
            }
        }
        assertThat(violations).as("imports against the floors").isEmpty();
    }

    /**
     * The report renders what findings say without knowing any check: evidence renders itself, so a
     * new check's evidence never needs the renderers edited. Stricter than the floors, which would
     * let {@code report} (floor 5) import {@code check} (floor 4).
     */
    @Test
    void theReportKnowsNoCheck() {
        List<String> violations = new ArrayList<>();
        for (Path file : sourcesIn(SOURCES.resolve("internal/report"), false)) {
            // Imports (a wildcard too) and names written out in full alike.
            Matcher named = Pattern.compile("dev\\.leakproof\\.internal\\.check\\b[\\w.]*").matcher(read(file));
            while (named.find()) {
                violations.add(file.getFileName() + " names " + named.group());
            }
        }
        assertThat(violations).as("report imports of check (render evidence through finding.Evidence instead)").isEmpty();
    }

    @Test
    void nothingFromAnotherModulesInternals() {
        List<String> violations = new ArrayList<>();
        for (Path file : sourcesIn(SOURCES, true)) {
            imports(file).stream().filter(i -> i.startsWith("dev.leakproof.fixture.internal."))
                    .filter(i -> !SHARED_FIXTURE_INTERNALS.contains(i))
                    .forEach(i -> violations.add(file.getFileName() + " imports " + i));
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void mainSourceFilesStaySmall() {
        List<String> large = new ArrayList<>();
        for (Path file : sourcesIn(SOURCES, true)) {
            long lines = lines(file);
            if (lines > MAX_LINES && !LARGE_BY_DESIGN.contains(file.getFileName().toString())) {
                large.add(file.getFileName() + ": " + lines + " lines");
            }
        }
        assertThat(large).as("files over %d lines", MAX_LINES).isEmpty();
    }

    private static List<Path> internalPackages() {
        try (Stream<Path> dirs = Files.list(SOURCES.resolve("internal"))) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> sourcesIn(Path dir, boolean recursive) {
        try (Stream<Path> files = recursive ? Files.walk(dir) : Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> imports(Path file) {
        try {
            Matcher m = IMPORT.matcher(Files.readString(file));
            List<String> imports = new ArrayList<>();
            while (m.find()) {
                imports.add(m.group(1));
            }
            return imports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
