package dev.leakproof.internal.report;

import dev.leakproof.internal.check.Finding;
import dev.leakproof.internal.config.LeakSettings;
import dev.leakproof.internal.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What one test class's run found, collected as it runs and written at its end as JSON (for
 * tools) and as one self-contained HTML page (for people), both rendered from the same findings.
 * Reports hold counts, sizes, class names and messages: never key material.
 *
 * <pre>{@code
 * ClassReport report = new ClassReport("com.example.ChatServerLeakTests", settings, "JDK");
 * report.add(verdict);
 * report.write();
 * }</pre>
 */
public final class ClassReport {

    private final String testClass;
    private final Instant started = Instant.now();
    private final LeakSettings settings;
    private final String provider;
    private final List<TestVerdict> tests = new ArrayList<>();
    private final List<Finding> classFindings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

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

    public Path htmlPath() {
        return settings.get(Settings.REPORT_DIRECTORY).resolve(testClass + ".html");
    }

    public Path jsonPath() {
        return settings.get(Settings.REPORT_DIRECTORY).resolve(testClass + ".json");
    }

    /** Writes the JSON and HTML reports. */
    public void write() throws IOException {
        Files.createDirectories(settings.get(Settings.REPORT_DIRECTORY));
        Files.writeString(jsonPath(), JsonReport.render(this), StandardCharsets.UTF_8);
        Files.writeString(htmlPath(), HtmlReport.render(this), StandardCharsets.UTF_8);
    }

    boolean passed() {
        return classLeaks().isEmpty() && tests.stream().allMatch(t -> t.outcome().equals("pass"));
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

    /** The evidence of a class-level check, e.g. the retained size measured. */
    <T> Optional<T> classEvidence(Class<T> type) {
        return classFindings.stream().map(f -> f.evidence(type)).flatMap(Optional::stream).findFirst();
    }
}
