package dev.leakproof.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Collects what the launcher reports into one {@link TestClassOutcome} per top-level test class.
 *
 * <pre>{@code
 * OutcomeRecorder recorder = new OutcomeRecorder();
 * launcher.execute(request, recorder);
 * List<TestClassOutcome> outcomes = recorder.outcomes();
 * }</pre>
 */
final class OutcomeRecorder implements TestExecutionListener {

    private final Map<String, ClassRecord> classes = new LinkedHashMap<>();

    @Override
    public void executionStarted(TestIdentifier identifier) {
        classSource(identifier).ifPresent(className -> record(className).startedNanos = System.nanoTime());
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        Optional<String> className = identifier.isTest() ? testClass(identifier) : classSource(identifier);
        if (className.isEmpty()) {
            return;
        }
        ClassRecord record = record(className.get());
        if (identifier.isTest()) {
            record.tests++;
        } else {
            record.finishedNanos = System.nanoTime();
        }
        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            Throwable error = result.getThrowable().orElseGet(() -> new AssertionError(result.getStatus().toString()));
            String name = identifier.isTest() ? identifier.getDisplayName() : "(test class: set-up, tear-down or class-level verdict)";
            record.failures.add(new TestClassOutcome.Failure(name, error));
        }
    }

    /** One outcome per class, in the order the classes started. */
    List<TestClassOutcome> outcomes() {
        List<TestClassOutcome> outcomes = new ArrayList<>();
        classes.forEach((name, r) -> outcomes.add(new TestClassOutcome(outcomes.size() + 1, name, r.tests, r.failures,
                Duration.ofNanos(Math.max(0, r.finishedNanos - r.startedNanos)))));
        return outcomes;
    }

    private ClassRecord record(String className) {
        return classes.computeIfAbsent(className, k -> new ClassRecord());
    }

    /** The top-level class of a class container; a @Nested class counts as part of its outer class. */
    private static Optional<String> classSource(TestIdentifier identifier) {
        Optional<TestSource> source = identifier.getSource();
        if (identifier.isContainer() && source.isPresent() && source.get() instanceof ClassSource classSource
                && !classSource.getClassName().contains("$")) {
            return Optional.of(classSource.getClassName());
        }
        return Optional.empty();
    }

    private static Optional<String> testClass(TestIdentifier identifier) {
        return identifier.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                .map(method -> topLevel(method.getClassName()));
    }

    private static String topLevel(String className) {
        int nested = className.indexOf('$');
        return nested < 0 ? className : className.substring(0, nested);
    }

    private static final class ClassRecord {
        int tests;
        long startedNanos;
        long finishedNanos;
        final List<TestClassOutcome.Failure> failures = new ArrayList<>();
    }
}
