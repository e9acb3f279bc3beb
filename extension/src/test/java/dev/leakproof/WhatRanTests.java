package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.TlsFixtureServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report says what really ran, for every kind of class: not the configured cycles, which only
 * say what a driven run would do.
 */
class WhatRanTests {

    @TempDir
    Path reports;

    @DetectConnectionLeaks(cycles = 20, concurrency = 2)
    static class AutomaticRunTestCase {
        @Test
        void emptyBody() {
        }
    }

    @DetectConnectionLeaks(cycles = 10, concurrency = 2)
    static class InjectedDriverTestCase {
        @Test
        void twoRuns(ConnectionDriver driver) {
            driver.run();
            driver.run();
        }
    }

    @DetectConnectionLeaks(cycles = 1000, concurrency = 2)
    static class OwnClientLoopTestCase {
        @Test
        void ownDriver(TlsFixtureServer server) {
            // The test's own client code: a driver it builds itself, not the extension's.
            try (ConnectionDriver own = ConnectionDriver.forServer(server).cycles(7).concurrency(1).build()) {
                own.run().assertNoFailures();
            }
        }
    }

    /** What a ResourceGrowth action holds: nothing, it is let go. */
    static final List<Object> SCRATCH = new ArrayList<>();

    @DetectConnectionLeaks(cycles = 1000, concurrency = 2)
    static class ResourceGrowthOnlyTestCase {
        @Test
        void inMemoryAction(ResourceGrowth growth) {
            growth.withRepetitions(5, 20).assertDoesNotGrow(() -> {
                SCRATCH.add(new byte[64]);
                SCRATCH.clear();
            });
        }
    }

    @DetectConnectionLeaks(cycles = 10, concurrency = 2)
    @GrowthRun(cycles = 200)
    static class GrowthRunTestCase {
        @Test
        void emptyBody() {
        }
    }

    @DetectConnectionLeaks(cycles = 10, concurrency = 2)
    @StepLoad(steps = {20, 40}, hold = "200ms")
    static class StepLoadTestCase {
        @Test
        void emptyBody() {
        }
    }

    @Test
    void aStepLoadIsTheConnectionsItHeldAtItsLastStep() throws IOException {
        TestKit.run(StepLoadTestCase.class, reportDirectory()).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(json(StepLoadTestCase.class)).contains("\"drivenCycles\": 10", "\"classCheckConnections\": 40");
        assertThat(html(StepLoadTestCase.class)).contains("; ran 10 driven cycles at concurrency 2; 40 connections driven by "
                + "the class-level checks; provider");
    }

    static ClientAndOwnServerTests.SocketServer targetServer;

    @DetectConnectionLeaks(cycles = 15, concurrency = 3)
    static class TargetServerTestCase {
        @org.junit.jupiter.api.BeforeAll
        static void start(TlsFixtureServer fixture) throws IOException {
            targetServer = new ClientAndOwnServerTests.SocketServer(fixture,
                    ClientAndOwnServerTests.SocketServer.Mode.FORGET_SESSIONS);
        }

        @org.junit.jupiter.api.AfterAll
        static void stop() throws IOException {
            targetServer.close();
            // The closed server still holds the fixture's server SSLContext, which holds the class's
            // tracker: a static field would keep it for every later class of this JVM.
            targetServer = null;
        }

        @TargetServer
        static java.net.InetSocketAddress target() {
            return targetServer.address();
        }

        @Test
        void emptyBody() {
        }
    }

    @Test
    void cyclesAimedAtATargetServerAreDrivenCycles() throws IOException {
        TestKit.run(TargetServerTestCase.class, reportDirectory()).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(json(TargetServerTestCase.class)).contains("\"drivenCycles\": 15", "\"ownConnections\": 0");
        assertThat(html(TargetServerTestCase.class)).contains("; ran 15 driven cycles at concurrency 3; provider");
    }

    @Test
    void anAutomaticRunIsItsDrivenCycles() throws IOException {
        TestKit.run(AutomaticRunTestCase.class, reportDirectory()).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(json(AutomaticRunTestCase.class)).contains("\"drivenCycles\": 20", "\"ownConnections\": 0",
                "\"growthRepetitions\": 0", "\"classCheckConnections\": 0");
        assertThat(html(AutomaticRunTestCase.class)).contains("; ran 20 driven cycles at concurrency 2; provider");
    }

    @Test
    void theInjectedDriversRunsAddUp() throws IOException {
        TestKit.run(InjectedDriverTestCase.class, reportDirectory()).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(json(InjectedDriverTestCase.class)).contains("\"drivenCycles\": 20", "\"ownConnections\": 0");
        assertThat(html(InjectedDriverTestCase.class)).contains("; ran 20 driven cycles at concurrency 2; provider");
    }

    @Test
    void theTestsOwnClientLoopIsItsConnectionsAndNoCycles() throws IOException {
        TestKit.run(OwnClientLoopTestCase.class, reportDirectory()).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(json(OwnClientLoopTestCase.class)).contains("\"drivenCycles\": 0", "\"ownConnections\": 7");
        assertThat(html(OwnClientLoopTestCase.class)).contains("; ran 7 connections the tests opened themselves; provider")
                .doesNotContain("1000");
    }

    @Test
    void aClassJudgedOnlyByResourceGrowthReportsItsRepetitionsAndNoCycles() throws IOException {
        TestKit.run(ResourceGrowthOnlyTestCase.class, reportDirectory()).testEvents().assertStatistics(s -> s.succeeded(1));
        // Warm-up 5, then 20 and 40 (and 40 more for a candidate that turned out noise).
        String json = json(ResourceGrowthOnlyTestCase.class);
        assertThat(json).contains("\"drivenCycles\": 0", "\"ownConnections\": 0", "\"connections\": 0")
                .containsPattern("\"growthRepetitions\": (65|105)");
        assertThat(html(ResourceGrowthOnlyTestCase.class)).containsPattern("; ran (65|105) repetitions of actions judged by "
                + "ResourceGrowth; provider").doesNotContain("1000");
    }

    @Test
    void aGrowthRunIsTheClassChecksConnections() throws IOException {
        TestKit.run(GrowthRunTestCase.class, reportDirectory()).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThat(json(GrowthRunTestCase.class)).contains("\"drivenCycles\": 10")
                .containsPattern("\"classCheckConnections\": [1-9]\\d*");
        assertThat(html(GrowthRunTestCase.class)).containsPattern("; ran 10 driven cycles at concurrency 2; \\d+ connections "
                + "driven by the class-level checks; provider");
    }

    private String json(Class<?> testCase) throws IOException {
        return Files.readString(reports.resolve(testCase.getName() + ".json"));
    }

    private String html(Class<?> testCase) throws IOException {
        return Files.readString(reports.resolve(testCase.getName() + ".html"));
    }

    private Map<String, String> reportDirectory() {
        return Map.of(DetectConnectionLeaks.REPORT_DIRECTORY_PROPERTY_NAME, reports.toString());
    }
}
