package dev.leakproof.examples;

import dev.leakproof.ConnectionLeakError;
import java.time.Duration;
import java.util.List;

/**
 * How one test class ended in the main job: how many tests ran, which failed and why, and what
 * the class is for (so that a failure can be judged as expected or not). {@code runOrder} counts
 * from 1 in the order the classes ran, which matters when one class's leftovers reach the next.
 *
 * <pre>{@code
 * TestClassOutcome outcome = new TestClassOutcome(1, "dev.leakproof.examples.presence.PresenceRegistryLeakExample",
 *         1, List.of(new TestClassOutcome.Failure("usersComeOnlineAndLeave(ConnectionDriver)", leak)), Duration.ofSeconds(6));
 * outcome.status(); // LEAK_FOUND
 * outcome.role();   // LEAKY_EXAMPLE
 * }</pre>
 */
record TestClassOutcome(int runOrder, String className, int tests, List<Failure> failures, Duration duration) {

    TestClassOutcome {
        failures = List.copyOf(failures);
    }

    /** What a class is for, which decides the result it must have. */
    enum Role {
        /** The sample server's own leak suite: must pass. */
        SAMPLE_SERVER,
        /** A {@code *LeakExample}: leaks on purpose, so it must fail with a leak. */
        LEAKY_EXAMPLE,
        /** A {@code *FixedExample}: the fixed twin of a leaky example, must pass. */
        FIXED_TWIN
    }

    /** What happened, from the most to the least reassuring. */
    enum Status {
        PASS("PASS"),
        LEAK_FOUND("LEAK FOUND"),
        /** Failed for another reason than a leak (an assertion, a configuration error): never expected. */
        FAILED("FAILED"),
        NO_TESTS("NO TESTS");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /** One failed test (or the class itself, when its set-up or class-level verdict failed). */
    record Failure(String testName, Throwable error) {

        /** Whether Leakproof found a leak here: the error itself, or suppressed by the test's own failure. */
        boolean isLeak() {
            if (error instanceof ConnectionLeakError) {
                return true;
            }
            for (Throwable suppressed : error.getSuppressed()) {
                if (suppressed instanceof ConnectionLeakError) {
                    return true;
                }
            }
            return false;
        }

        /** The whole message, with any leak added to the test's own failure as suppressed. */
        String fullMessage() {
            StringBuilder text = new StringBuilder(describe(error));
            for (Throwable suppressed : error.getSuppressed()) {
                text.append("\n\nSuppressed: ").append(describe(suppressed));
            }
            return text.toString();
        }

        String firstLine() {
            String message = fullMessage();
            int end = message.indexOf('\n');
            return end < 0 ? message : message.substring(0, end);
        }

        private static String describe(Throwable error) {
            // A leak's message is written for a person; other errors need their type to make sense.
            if (error instanceof ConnectionLeakError && error.getMessage() != null) {
                return error.getMessage();
            }
            return error.getMessage() == null ? error.getClass().getName() : error.getClass().getName() + ": " + error.getMessage();
        }
    }

    String simpleName() {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    Role role() {
        if (className.endsWith("LeakExample")) {
            return Role.LEAKY_EXAMPLE;
        }
        if (className.endsWith("FixedExample")) {
            return Role.FIXED_TWIN;
        }
        return Role.SAMPLE_SERVER;
    }

    Status status() {
        if (!failures.isEmpty()) {
            return failures.stream().anyMatch(Failure::isLeak) ? Status.LEAK_FOUND : Status.FAILED;
        }
        return tests == 0 ? Status.NO_TESTS : Status.PASS;
    }

    /** Whether this class ended the way its role requires. */
    boolean asExpected() {
        return role() == Role.LEAKY_EXAMPLE ? status() == Status.LEAK_FOUND : status() == Status.PASS;
    }
}
