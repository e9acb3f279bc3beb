package dev.leakproof.internal.report;

import dev.leakproof.internal.finding.Finding;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The verdict of one test (or of the class-level activity), as the report records it.
 *
 * <pre>{@code
 * TestVerdict verdict = new TestVerdict(TestId.classLevel("class-level checks", "com.example.ChatTests"),
 *         TestVerdict.outcome(false, TestVerdict.TestState.PASSED), 1000, 0, Map.of(), "", 42, List.of(), Map.of());
 * }</pre>
 *
 * @param test which test was judged
 * @param outcome one of {@link #PASS}, {@code leak found}, {@code test failed}, {@code test failed, leak found},
 *     {@code aborted}, {@code aborted, leak found} or {@link #SKIPPED}
 * @param connections connections judged
 * @param leakedConnections connections that left something behind
 * @param survivorsByClass what leaked, by class name
 * @param message the failure message (empty when it passed)
 * @param verdictMillis how long the verdict took
 * @param findings every finding of the verdict, leaks and notes
 * @param stepMillis how long each check took, in the order they ran (where the verdict's time went)
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record TestVerdict(TestId test, String outcome, long connections, long leakedConnections,
        Map<String, Long> survivorsByClass, String message, long verdictMillis, List<Finding> findings,
        Map<String, Double> stepMillis) {

    public static final String PASS = "pass";
    public static final String SKIPPED = "skipped";

    /** How the test itself ended, before Leakproof judged it. */
    public enum TestState {
        PASSED(""), FAILED("test failed"), ABORTED("aborted");

        private final String words;

        TestState(String words) {
            this.words = words;
        }
    }

    /** The outcome's words: the test's own end first, then whether a leak was found. */
    public static String outcome(boolean leakFound, TestState state) {
        if (state == TestState.PASSED) {
            return leakFound ? "leak found" : PASS;
        }
        return leakFound ? state.words + ", leak found" : state.words;
    }

    /** A test that did not run (disabled): nothing to judge, and nothing against the class. */
    public static TestVerdict skipped(TestId test, String reason) {
        return new TestVerdict(test, SKIPPED, 0, 0, Map.of(), reason == null ? "" : reason, 0, List.of(), Map.of());
    }

    /** The test's display name (what JUnit shows). */
    public String name() {
        return test.displayName();
    }

    /** Whether this verdict leaves the class passing: it passed, or its test was aborted or skipped without a leak. */
    public boolean passing() {
        return outcome.equals(PASS) || outcome.equals(SKIPPED) || outcome.equals(TestState.ABORTED.words);
    }

    /** Whether Leakproof found a leak in it. */
    public boolean leakFound() {
        return outcome.endsWith("leak found");
    }

    /** The evidence of one of its findings, e.g. the leak trace. */
    public <T> Optional<T> evidence(Class<T> type) {
        return findings.stream().map(f -> f.evidence(type)).flatMap(Optional::stream).findFirst();
    }
}
