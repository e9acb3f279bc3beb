package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.Exchange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * Leakproof in the way builds run tests: JUnit's parallel execution, and many classes one after
 * another in one JVM (Surefire's {@code reuseForks}). Threads, descriptors, loaded classes and
 * Netty's leak detector belong to the whole JVM, so an annotated class runs isolated (nothing runs
 * beside it) while other tests keep running in parallel with each other; and what one class left
 * behind never fails the next.
 */
class ParallelAndSequenceTests {

    static final Map<String, String> PARALLEL = Map.of(
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "concurrent",
            "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");

    @DetectConnectionLeaks(cycles = 50, concurrency = 4)
    static class CleanServerTestCase {
        @Test
        void pings(ConnectionDriver driver) {
            driver.run();
        }

        @Test
        void handshakes(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
        }
    }

    @DetectConnectionLeaks(cycles = 50, concurrency = 4)
    static class OtherCleanServerTestCase {
        @Test
        void pings(ConnectionDriver driver) {
            driver.run();
        }

        @Test
        void moreCycles(ConnectionDriver driver) {
            driver.run(80);
        }
    }

    /** Passes only when its two tests run at the same time: proof that other tests stay parallel. */
    static class UnannotatedTestCase {
        static CyclicBarrier bothRunning;

        @Test
        void one() throws Exception {
            bothRunning.await(20, TimeUnit.SECONDS);
        }

        @Test
        void two() throws Exception {
            bothRunning.await(20, TimeUnit.SECONDS);
        }
    }

    private static EngineExecutionResults runInParallel(Class<?>... classes) {
        UnannotatedTestCase.bothRunning = new CyclicBarrier(2);
        List<ClassSelector> selectors = new ArrayList<>();
        for (Class<?> c : classes) {
            selectors.add(selectClass(c));
        }
        return EngineTestKit.engine("junit-jupiter").selectors(selectors.toArray(new ClassSelector[0]))
                .configurationParameters(PARALLEL).execute();
    }

    @Test
    void annotatedClassesRunIsolatedUnderParallelExecutionWhileOtherTestsStayParallel() {
        EngineExecutionResults results = runInParallel(CleanServerTestCase.class, UnannotatedTestCase.class,
                OtherCleanServerTestCase.class);

        assertThat(TestKit.failures(results.testEvents())).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(6).failed(0));
        List<Interval> classes = classIntervals(results);
        assertThat(classes).hasSize(3);
        for (Interval a : classes) {
            for (Interval b : classes) {
                if (a != b && (a.name.contains("Clean") || b.name.contains("Clean"))) {
                    assertThat(a.overlaps(b)).as("%s overlaps %s", a, b).isFalse();
                }
            }
        }
    }

    @Test
    void aLeakyClassBesideACleanOneFailsAloneUnderParallelExecution() {
        EngineExecutionResults results = runInParallel(CleanServerTestCase.class,
                HeapLeakDetectionTests.StaticRegistryTestCase.class, OtherCleanServerTestCase.class,
                UnannotatedTestCase.class);
        try {
            results.testEvents().assertThatEvents().haveExactly(1, event(test("driveConnections"),
                    finishedWithFailure(instanceOf(ConnectionLeakError.class),
                            message(m -> m.startsWith("200 of 200 connections leaked: ")))));
            results.testEvents().assertStatistics(s -> s.succeeded(6).failed(1));
        } finally {
            HeapLeakDetectionTests.clearRegistry();
        }
    }

    /** Registered in code: no annotation to declare the isolation, so the class must say it. */
    static class RegisteredWithoutIsolationTestCase {
        @RegisterExtension
        static ConnectionLeakDetector leaks = ConnectionLeakDetector.builder().cycles(5).concurrency(1).build();

        @Test
        void pings(ConnectionDriver driver) {
            driver.run();
        }
    }

    @Isolated
    static class RegisteredAndIsolatedTestCase {
        @RegisterExtension
        static ConnectionLeakDetector leaks = ConnectionLeakDetector.builder().cycles(5).concurrency(1).build();

        @Test
        void pings(ConnectionDriver driver) {
            driver.run();
        }
    }

    @Test
    void aRegisteredDetectorUnderParallelExecutionAsksForIsolation() {
        EngineExecutionResults results = runInParallel(RegisteredWithoutIsolationTestCase.class);
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(
                RegisteredWithoutIsolationTestCase.class), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class), message(m -> m.equals(
                        "junit.jupiter.execution.parallel.enabled = true: " + RegisteredWithoutIsolationTestCase.class.getName()
                                + " registers ConnectionLeakDetector, whose checks (threads, descriptors, loaded classes, "
                                + "Netty's leak detector) see the whole JVM and would count what tests running beside it do. "
                                + "Annotate the class with @Isolated (org.junit.jupiter.api.parallel), or use "
                                + "@DetectConnectionLeaks, which declares it")))));

        runInParallel(RegisteredAndIsolatedTestCase.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    // --- one JVM, many classes (Surefire's reuseForks): each leak fails its own class, never the next.

    @Test
    void whatALeakyClassLeavesBehindNeverFailsTheClassesAfterIt() {
        try {
            EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(
                    selectClass(HeapLeakDetectionTests.StaticRegistryTestCase.class),
                    selectClass(CleanServerTestCase.class),
                    selectClass(BeyondTheHeapTests.ThreadLeakTestCase.class),
                    selectClass(OtherCleanServerTestCase.class),
                    selectClass(BeyondTheHeapTests.FileLeakTestCase.class),
                    selectClass(NettyAndOpenConnectionTests.UnreleasedBufferTestCase.class),
                    selectClass(BeyondTheHeapTests.TaskLeakTestCase.class),
                    selectClass(HeapLeakDetectionTests.StaticRegistryFixedTestCase.class))
                    .execute();
            Map<String, List<String>> outcomes = results.testEvents().finished().stream().collect(Collectors.groupingBy(
                    e -> e.getTestDescriptor().getUniqueId().getSegments().get(1).getValue().replaceAll(".*\\$", ""),
                    java.util.LinkedHashMap::new, Collectors.mapping(e -> e.getPayload(
                            org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getStatus().name(),
                            Collectors.toList())));
            assertThat(outcomes).containsExactly(
                    Map.entry("StaticRegistryTestCase", List.of("FAILED")),
                    Map.entry("CleanServerTestCase", List.of("SUCCESSFUL", "SUCCESSFUL")),
                    Map.entry("ThreadLeakTestCase", List.of("FAILED")),
                    Map.entry("OtherCleanServerTestCase", List.of("SUCCESSFUL", "SUCCESSFUL")),
                    Map.entry("FileLeakTestCase", List.of("FAILED")),
                    Map.entry("UnreleasedBufferTestCase", List.of("FAILED")),
                    Map.entry("TaskLeakTestCase", List.of("FAILED")),
                    Map.entry("StaticRegistryFixedTestCase", List.of("SUCCESSFUL")));
        } finally {
            HeapLeakDetectionTests.clearRegistry();
        }
    }

    record Interval(String name, Instant start, Instant end) {
        boolean overlaps(Interval other) {
            return start.isBefore(other.end) && other.start.isBefore(end);
        }
    }

    private static List<Interval> classIntervals(EngineExecutionResults results) {
        List<Interval> intervals = new ArrayList<>();
        List<Event> events = results.containerEvents().list();
        for (Event started : events) {
            if (started.getType() != EventType.STARTED || started.getTestDescriptor().getSource()
                    .filter(s -> s instanceof org.junit.platform.engine.support.descriptor.ClassSource).isEmpty()) {
                continue;
            }
            Event finished = events.stream().filter(e -> e.getType() == EventType.FINISHED
                    && e.getTestDescriptor().equals(started.getTestDescriptor())).findFirst().orElseThrow();
            intervals.add(new Interval(started.getTestDescriptor().getDisplayName(), started.getTimestamp(),
                    finished.getTimestamp()));
        }
        return intervals;
    }
}
