package dev.leakproof.internal.report;

import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import dev.leakproof.internal.finding.Evidence;
import dev.leakproof.internal.finding.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * What one test class's run found, collected as it runs and written at its end as JSON (for
 * tools) and as one self-contained HTML page (for people), both rendered from the same findings.
 * Reports hold counts, sizes, class names and messages: never key material. Each is a file of the
 * report directory named after the test class, and stays inside that directory whatever the name
 * holds ({@link #fileName(String)}).
 *
 * <pre>{@code
 * ClassReport report = new ClassReport("com.example.ChatServerLeakTests", settings, "JDK");
 * report.add(verdict);
 * report.write();
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ClassReport {

    /** Anything but these characters (and a leading dot) becomes '_' in a report's file name. */
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._$-]|^\\.");
    /** Leaves room for the hash and the extension within the 255 bytes file systems take. */
    private static final int MAX_NAME_LENGTH = 200;

    private final String testClass;
    private final Instant started = Instant.now();
    private final LeakSettings settings;
    private final String provider;
    private final List<TestVerdict> tests = new ArrayList<>();
    private final List<Finding> classFindings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final WorkDone workDone = new WorkDone();

    public ClassReport(String testClass, LeakSettings settings, String provider) {
        this.testClass = testClass;
        this.settings = settings;
        this.provider = provider;
    }

    /** Records one test's verdict; its notes join the report's notes. */
    public void add(TestVerdict verdict) {
        tests.add(verdict);
        verdict.findings().stream().filter(f -> f.outcome() == Finding.Outcome.NOTE).forEach(f -> notes.add(f.message()));
    }

    /** Records findings of the class as a whole (retained size, growth, step load, threads, session notes). */
    public void addClassFindings(List<Finding> findings) {
        classFindings.addAll(findings);
        findings.stream().filter(f -> f.outcome() == Finding.Outcome.NOTE).forEach(f -> notes.add(f.message()));
    }

    /** What the class really ran, counted as it ran. */
    public WorkDone workDone() {
        return workDone;
    }

    public Path htmlPath() {
        return reportFile(".html");
    }

    public Path jsonPath() {
        return reportFile(".json");
    }

    /**
     * The file name a report of {@code testClass} gets (before its extension): the name itself when
     * it holds only {@code A-Z a-z 0-9 . _ $ -}, as every Java class name made of ASCII does;
     * otherwise those characters kept, any other replaced by '_', shortened to 200, and a hash of the
     * whole name appended, so that two names that differ only in replaced characters do not share
     * a file. A name can therefore never climb out of the report directory ({@code ../}), name an
     * absolute path, or hide a file ({@code .name}).
     *
     * <pre>{@code
     * ClassReport.fileName("com.example.ChatTests$Nested")  // "com.example.ChatTests$Nested"
     * ClassReport.fileName("../../etc/passwd")              // "_.._.._etc_passwd-" + 8 hex digits of its hash
     * }</pre>
     */
    public static String fileName(String testClass) {
        String safe = UNSAFE.matcher(testClass).replaceAll("_");
        if (safe.equals(testClass) && !safe.isEmpty() && safe.length() <= MAX_NAME_LENGTH) {
            return safe;
        }
        String shortened = safe.length() > MAX_NAME_LENGTH ? safe.substring(0, MAX_NAME_LENGTH) : safe;
        return shortened + "-" + String.format(Locale.ROOT, "%08x", testClass.hashCode());
    }

    private Path reportFile(String extension) {
        Path directory = settings.get(Settings.REPORT_DIRECTORY);
        Path file = directory.resolve(fileName(testClass) + extension);
        // Belt and braces: whatever fileName() lets through must still land in the directory itself.
        Path inside = directory.toAbsolutePath().normalize();
        if (!inside.equals(file.toAbsolutePath().normalize().getParent())) {
            throw new IllegalStateException("the report file " + file + " of " + testClass
                    + " would not be in the report directory " + inside);
        }
        return file;
    }

    /**
     * Writes the JSON and HTML reports, then the run's index of every class report in the same
     * directory ({@link RunIndex}). Each file appears whole or not at all: test JVMs of other forks
     * and modules may read this directory at the same moment.
     */
    public void write() throws IOException {
        Path directory = settings.get(Settings.REPORT_DIRECTORY);
        Files.createDirectories(directory);
        AtomicFiles.write(jsonPath(), JsonReport.render(this));
        AtomicFiles.write(htmlPath(), HtmlReport.render(this));
        RunIndex.rewrite(directory);
    }

    /** Whether the class passed: no class-level leak, and every test passed (or was aborted or skipped) without a leak. */
    public boolean passed() {
        return classLeaks().isEmpty() && tests.stream().allMatch(TestVerdict::passing);
    }

    /**
     * The class's verdict in one phrase, as the index and the report entries show it: {@code leak found}
     * when any verdict found one, else {@code test failed} when a test failed, else {@code pass}.
     */
    public String verdict() {
        if (!classLeaks().isEmpty() || tests.stream().anyMatch(TestVerdict::leakFound)) {
            return "leak found";
        }
        return passed() ? TestVerdict.PASS : "test failed";
    }

    String testClass() {
        return testClass;
    }

    Instant started() {
        return started;
    }

    LeakSettings settings() {
        return settings;
    }

    String provider() {
        return provider;
    }

    List<TestVerdict> tests() {
        return Collections.unmodifiableList(tests);
    }

    /** Notes in the order they were made: the session's, each test's, the class checks'. */
    List<String> notes() {
        return Collections.unmodifiableList(notes);
    }

    /** Messages of the class-level findings that failed the class. */
    List<String> classLeaks() {
        return classFindings.stream().filter(Finding::isLeak).map(Finding::message).toList();
    }

    /** The evidence of the class-level findings (retained size, step load, the class's growth), in the order found. */
    List<Evidence> classEvidence() {
        return classFindings.stream().map(Finding::evidence).filter(Objects::nonNull).toList();
    }
}
