package dev.leakproof.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one test class's run found, collected as it runs and written as JSON and HTML at its end. */
final class ClassReport {

    /** The verdict of one test (or of the class-level checks). */
    record TestVerdict(String name, String outcome, long connections, long leakedConnections,
            Map<String, Long> survivorsByClass, String message, long verdictMillis) {
    }

    final String testClass;
    final Instant started = Instant.now();
    final LeakSettings settings;
    final String provider;
    final List<TestVerdict> tests = new ArrayList<>();
    final List<String> classFindings = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    RetainedSize retainedSize;
    String retainedSizeSkipped;
    List<GrowthCheck.Growth> growth;
    StepLoad.Result stepLoad;
    int growthCycles;
    final Map<String, LeakTraces.Result> leakTraces = new LinkedHashMap<>();

    ClassReport(String testClass, LeakSettings settings, String provider) {
        this.testClass = testClass;
        this.settings = settings;
        this.provider = provider;
    }

    Path htmlPath() {
        return settings.reportDirectory().resolve(testClass + ".html");
    }

    Path jsonPath() {
        return settings.reportDirectory().resolve(testClass + ".json");
    }

    boolean passed() {
        return classFindings.isEmpty() && tests.stream().allMatch(t -> t.outcome().equals("pass"));
    }
}
