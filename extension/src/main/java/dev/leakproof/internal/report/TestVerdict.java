package dev.leakproof.internal.report;

import dev.leakproof.internal.check.Finding;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The verdict of one test (or of the class-level activity), as the report records it.
 *
 * <pre>{@code
 * TestVerdict verdict = new TestVerdict("loginAndQuit()", "pass", 1000, 0, Map.of(), "", 42, List.of(), Map.of());
 * }</pre>
 *
 * @param name the test's display name, or what a class-level verdict judged
 * @param outcome {@code pass}, {@code leak found}, {@code test failed} or {@code test failed, leak found}
 * @param connections connections judged
 * @param leakedConnections connections that left something behind
 * @param survivorsByClass what leaked, by class name
 * @param message the failure message (empty when it passed)
 * @param verdictMillis how long the verdict took
 * @param findings every finding of the verdict, leaks and notes
 * @param stepMillis how long each check took, in the order they ran (where the verdict's time went)
 */
public record TestVerdict(String name, String outcome, long connections, long leakedConnections,
        Map<String, Long> survivorsByClass, String message, long verdictMillis, List<Finding> findings,
        Map<String, Double> stepMillis) {

    /** The evidence of one of its findings, e.g. the leak trace. */
    public <T> Optional<T> evidence(Class<T> type) {
        return findings.stream().map(f -> f.evidence(type)).flatMap(Optional::stream).findFirst();
    }
}
