package dev.leakproof;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs a nested {@code *TestCase} class through the Jupiter engine, as a user's build would. */
final class TestKit {

    private TestKit() {
    }

    static EngineExecutionResults run(Class<?> testCase, Map<String, String> configuration) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testCase))
                .configurationParameters(configuration)
                .execute();
    }

    static EngineExecutionResults run(Class<?> testCase) {
        return run(testCase, Map.of());
    }

    static Events tests(Class<?> testCase) {
        return run(testCase).testEvents();
    }

    /** The failure message of the only failed test, for printing while writing assertions. */
    static String onlyFailureMessage(Events tests) {
        return tests.failed().stream().findFirst()
                .flatMap(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class))
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                .map(Throwable::getMessage).orElse("<no failure>");
    }

    /** Every failed test's message, to show in an assertion what failed and why. */
    static java.util.List<String> failures(Events tests) {
        return tests.failed().stream()
                .flatMap(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).stream())
                .flatMap(r -> r.getThrowable().stream())
                .map(t -> t.getClass().getSimpleName() + ": " + t.getMessage()).toList();
    }
}
