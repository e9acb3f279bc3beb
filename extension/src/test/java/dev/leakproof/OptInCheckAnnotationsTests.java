package dev.leakproof;

import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The opt-in class checks' own annotations ({@code @RetainedSizeBudget}, {@code @GrowthRun},
 * {@code @StepLoad}): a bad value fails the class naming the key, the value and the annotation as
 * written; an annotation where it would not be read (without {@code @DetectConnectionLeaks} beside
 * it, on a class configured by the builder, on a nested class that shares its enclosing class's
 * session) fails the class instead of being ignored. That they turn their checks on is proven by
 * the checks' own tests (RetainedSizeAndGrowthTests, StepLoadAndClassThreadTests).
 */
class OptInCheckAnnotationsTests {

    @DetectConnectionLeaks(cycles = 4, concurrency = 2)
    @StepLoad(steps = {500, 100})
    static class FallingStepsTestCase {
        @Test
        void test() {
        }
    }

    @DetectConnectionLeaks(cycles = 4, concurrency = 2)
    @RetainedSizeBudget(perConnection = "lots")
    static class BadBudgetTestCase {
        @Test
        void test() {
        }
    }

    @DetectConnectionLeaks(cycles = 4, concurrency = 2)
    @RetainedSizeBudget(perConnection = "16KB", connections = 5)
    static class TooFewConnectionsTestCase {
        @Test
        void test() {
        }
    }

    @DetectConnectionLeaks(cycles = 4, concurrency = 2)
    @GrowthRun(cycles = -3)
    static class NegativeGrowthRunTestCase {
        @Test
        void test() {
        }
    }

    @StepLoad(steps = {100, 500})
    static class WithoutTheAnnotationTestCase {
        @Test
        void test() {
        }
    }

    @GrowthRun(cycles = 1000)
    static class WithTheBuilderTestCase {
        @RegisterExtension
        static ConnectionLeakDetector leaks = ConnectionLeakDetector.builder().cycles(4).concurrency(2).build();

        @Test
        void test() {
        }
    }

    @DetectConnectionLeaks(cycles = 4, concurrency = 2)
    static class EnclosingTestCase {
        @Test
        void test() {
        }

        @Nested
        @RetainedSizeBudget(perConnection = "16KB")
        class SharesTheSession {
            @Test
            void test() {
            }
        }
    }

    @Test
    void badValuesNameTheKeyTheValueAndTheAnnotation() {
        assertClassFails(TestKit.run(FallingStepsTestCase.class),
                "Invalid Leakproof setting leakproof.loadSteps = '500, 100' (from @StepLoad(steps = {500, 100})): "
                        + "load steps must be positive and rising, e.g. 100, 500, 1000");
        assertClassFails(TestKit.run(BadBudgetTestCase.class),
                "Invalid Leakproof setting leakproof.maxRetainedPerConnection = 'lots' (from "
                        + "@RetainedSizeBudget(perConnection = \"lots\")): not a size: use e.g. 8192, 8KB or 1MB");
        assertClassFails(TestKit.run(TooFewConnectionsTestCase.class),
                "Invalid Leakproof setting leakproof.retainedSizeConnections = '5' (from "
                        + "@RetainedSizeBudget(connections = 5)): must be at least 20");
        assertClassFails(TestKit.run(NegativeGrowthRunTestCase.class),
                "Invalid Leakproof setting leakproof.growthCycles = '-3' (from @GrowthRun(cycles = -3)): "
                        + "must be at least 0");
    }

    @Test
    void anOptInAnnotationWithoutDetectConnectionLeaksFails() {
        assertClassFails(TestKit.run(WithoutTheAnnotationTestCase.class),
                "Invalid Leakproof setting on " + WithoutTheAnnotationTestCase.class.getName() + ": @StepLoad is read "
                        + "only beside @DetectConnectionLeaks on the same class, and WithoutTheAnnotationTestCase has "
                        + "none. Put @DetectConnectionLeaks beside it, or, with a @RegisterExtension "
                        + "ConnectionLeakDetector, use its builder's "
                        + "loadSteps(...) and loadStepHold(...) instead");
    }

    @Test
    void anOptInAnnotationOnAClassConfiguredByTheBuilderFails() {
        assertClassFails(TestKit.run(WithTheBuilderTestCase.class),
                "Invalid Leakproof setting on " + WithTheBuilderTestCase.class.getName() + ": @GrowthRun is read "
                        + "only beside @DetectConnectionLeaks on the same class, and WithTheBuilderTestCase has "
                        + "none. Put @DetectConnectionLeaks beside it, or, with a @RegisterExtension "
                        + "ConnectionLeakDetector, use its builder's "
                        + "growthCycles(...) instead");
    }

    @Test
    void anOptInAnnotationOnANestedClassWithoutItsOwnDetectConnectionLeaksFails() {
        EngineExecutionResults results = TestKit.run(EnclosingTestCase.class);
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class), message(m -> m.contains(
                        "@RetainedSizeBudget is read only beside @DetectConnectionLeaks on the same class, and "
                                + "SharesTheSession has none")))));
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    private static void assertClassFails(EngineExecutionResults results, String expectedMessage) {
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class), message(expectedMessage))));
        results.testEvents().assertStatistics(s -> s.started(0));
    }
}
