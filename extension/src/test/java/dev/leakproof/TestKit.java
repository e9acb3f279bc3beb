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

    /** What the class {@code testCase} itself failed with (its class-level verdict), or {@code null}. */
    static Throwable containerFailure(EngineExecutionResults results, Class<?> testCase) {
        return results.containerEvents().failed().stream()
                .filter(e -> e.getTestDescriptor().getSource()
                        .filter(s -> s instanceof org.junit.platform.engine.support.descriptor.ClassSource c
                                && c.getJavaClass() == testCase).isPresent())
                .flatMap(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).stream())
                .flatMap(r -> r.getThrowable().stream())
                .findFirst().orElse(null);
    }

    /** The class's own failure, which a leak found at its end is, as a test's: a {@link ConnectionLeakError}. */
    static ConnectionLeakError classLeak(EngineExecutionResults results, Class<?> testCase) {
        Throwable failure = containerFailure(results, testCase);
        org.assertj.core.api.Assertions.assertThat(failure).as("the failure of %s", testCase.getSimpleName())
                .isInstanceOf(ConnectionLeakError.class);
        return (ConnectionLeakError) failure;
    }

    /** Every failed test's message, to show in an assertion what failed and why. */
    static java.util.List<String> failures(Events tests) {
        return tests.failed().stream()
                .flatMap(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).stream())
                .flatMap(r -> r.getThrowable().stream())
                .map(t -> t.getClass().getSimpleName() + ": " + t.getMessage()).toList();
    }
}
