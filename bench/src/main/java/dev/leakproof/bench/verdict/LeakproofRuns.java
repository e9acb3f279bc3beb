package dev.leakproof.bench.verdict;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.leakproof.ConnectionLeakError;
import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.ServerPipeline;
import dev.leakproof.bench.Json;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * One test class with {@code @DetectConnectionLeaks} run through the Jupiter engine, as a user's build
 * runs it, and what its verdict took: the extension's own {@code verdictMillis} and leak trace times
 * from its JSON report, the time from the test's last close to the test's finished event, and the
 * failure message. The number of connections comes from configuration parameter {@code leakproof.cycles}.
 *
 * <pre>{@code
 * LeakproofRuns.Run run = LeakproofRuns.run(LeakproofRuns.LeakyTestCase.class, 200, reports);
 * long millis = run.verdictMillis();
 * }</pre>
 */
public final class LeakproofRuns {

    private static volatile Instant lastClose;
    private static volatile DriverStats lastStats;

    private LeakproofRuns() {
    }

    /** The clean twin: every handler leaves the registry when its connection closes. */
    @DetectConnectionLeaks
    public static class CleanTestCase {
        @ServerPipeline
        static RegistryHandler handler() {
            return new RegistryHandler(true);
        }

        @Test
        void cycles(ConnectionDriver driver) {
            lastStats = driver.run();
            lastClose = Instant.now();
        }
    }

    /** The leak: every handler stays in the static registry. */
    @DetectConnectionLeaks
    public static class LeakyTestCase {
        @ServerPipeline
        static RegistryHandler handler() {
            return new RegistryHandler(false);
        }

        @Test
        void cycles(ConnectionDriver driver) {
            lastStats = driver.run();
            lastClose = Instant.now();
        }
    }

    /**
     * One verdict. {@code closeToFinishedMillis}: the test's last close to its finished event (the
     * verdict, as the build sees it); {@code classMillis}: the whole class run, server start to report.
     */
    public record Run(String outcome, long connections, long leakedConnections, long verdictMillis,
            long closeToFinishedMillis, long classMillis, Long dumpMillis, Long analysisMillis, Long leakingObjects,
            long cyclesCompleted, long cycleFailures, String message, Map<String, Double> stepMillis) {

        public boolean failed() {
            return message != null;
        }
    }

    /** Runs {@code testCase} with {@code connections} cycles; the registry is emptied afterwards. */
    public static Run run(Class<?> testCase, int connections, Path reports) {
        lastClose = null;
        lastStats = null;
        Path json = reports.resolve(testCase.getName() + ".json");
        try {
            Files.deleteIfExists(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long start = System.nanoTime();
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testCase))
                .configurationParameters(Map.of(
                        DetectConnectionLeaks.CYCLES_PROPERTY_NAME, String.valueOf(connections),
                        DetectConnectionLeaks.REPORT_DIRECTORY_PROPERTY_NAME, reports.toString()))
                .execute();
        long classMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        RegistryHandler.REGISTRY.clear();

        Event finished = results.testEvents().finished().stream().findFirst()
                .orElseThrow(() -> new IllegalStateException(testCase.getSimpleName() + " ran no test: "
                        + results.allEvents().list()));
        Optional<Throwable> failure = finished.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable);
        if (failure.isPresent() && !(failure.get() instanceof ConnectionLeakError)) {
            throw new IllegalStateException(testCase.getSimpleName() + " failed, not with a leak", failure.get());
        }
        if (lastClose == null) {
            throw new IllegalStateException(testCase.getSimpleName() + " did not finish its cycles");
        }
        long closeToFinished = Duration.between(lastClose, finished.getTimestamp()).toMillis();

        Object report = Json.read(json);
        Object test = Json.list(Json.object(report).get("tests")).get(0);
        Object trace = Json.object(test).get("leakTrace");
        Map<String, Double> steps = new LinkedHashMap<>();
        Object reported = Json.object(test).get("verdictSteps");
        if (reported != null) {
            Json.object(reported).forEach((check, millis) -> steps.put(check, ((Number) millis).doubleValue()));
        }
        return new Run(Json.string(test, "outcome"), Json.number(test, "connections").longValue(),
                Json.number(test, "leakedConnections").longValue(), Json.number(test, "verdictMillis").longValue(),
                closeToFinished, classMillis,
                trace == null ? null : longOrNull(Json.number(trace, "dumpMillis")),
                trace == null ? null : longOrNull(Json.number(trace, "analysisMillis")),
                trace == null ? null : longOrNull(Json.number(trace, "leakingObjects")),
                lastStats.cyclesCompleted(), lastStats.failures(), failure.map(Throwable::getMessage).orElse(null), steps);
    }

    private static Long longOrNull(Number n) {
        return n == null ? null : n.longValue();
    }

    /** The first {@code n} lines of {@code text}, and how many were left out. */
    public static String firstLines(String text, int n) {
        if (text == null) {
            return "(nothing: the verdict passed)";
        }
        String[] lines = text.split("\n", -1);
        if (lines.length <= n) {
            return text;
        }
        return String.join("\n", java.util.Arrays.copyOf(lines, n)) + "\n[... " + (lines.length - n) + " more lines]";
    }
}
