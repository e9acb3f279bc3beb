package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.Exchange;
import dev.leakproof.fixture.TlsFixtureServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * JUnit's conventions, kept: the nearest annotation wins for a {@code @Nested} class, an aborted
 * test is not a failure and a disabled one is skipped, each verdict names its test uniquely, a
 * {@code @TestFactory} gets one verdict, and a class whose set-up failed shows one error, not two.
 */
class JUnitConventionsTests {

    @TempDir
    Path reports;

    // --- the nearest @DetectConnectionLeaks wins, as JUnit's @Timeout does.

    static final Map<String, Integer> CYCLES_RUN = new ConcurrentHashMap<>();
    static final Map<String, TlsFixtureServer> SERVERS = new ConcurrentHashMap<>();

    @DetectConnectionLeaks(cycles = 100, concurrency = 4)
    static class OuterTestCase {
        @Test
        void outer(ConnectionDriver driver, TlsFixtureServer server) {
            SERVERS.put("outer", server);
            CYCLES_RUN.put("outer", driver.run(Exchange.handshakeOnly()).cyclesRequested());
        }

        @Nested
        @DetectConnectionLeaks(cycles = 37, concurrency = 4)
        class OwnSettings {
            @Test
            void nested(ConnectionDriver driver, TlsFixtureServer server) {
                SERVERS.put("own settings", server);
                CYCLES_RUN.put("own settings", driver.run(Exchange.handshakeOnly()).cyclesRequested());
            }
        }

        @Nested
        class EnclosingSettings {
            @Test
            void nested(ConnectionDriver driver, TlsFixtureServer server) {
                SERVERS.put("enclosing settings", server);
                CYCLES_RUN.put("enclosing settings", driver.run(Exchange.handshakeOnly()).cyclesRequested());
            }
        }
    }

    @Test
    void aNestedClassWithItsOwnAnnotationGetsItsOwnSettingsAndSession() throws IOException {
        CYCLES_RUN.clear();
        SERVERS.clear();
        EngineExecutionResults results = TestKit.run(OuterTestCase.class, reportDirectory());

        results.testEvents().assertStatistics(s -> s.started(3).succeeded(3));
        assertThat(CYCLES_RUN).containsExactlyInAnyOrderEntriesOf(
                Map.of("outer", 100, "own settings", 37, "enclosing settings", 100));
        assertThat(SERVERS.get("own settings")).isNotSameAs(SERVERS.get("outer"));
        assertThat(SERVERS.get("enclosing settings")).isSameAs(SERVERS.get("outer"));
        // Closed by JUnit with the class's store, on every supported JUnit (5.10 to 5.12 close only CloseableResource).
        assertThat(SERVERS.values()).allSatisfy(server -> {
            assertThat(server.serverChannel().isOpen()).as("server channel open after the class").isFalse();
            assertThat(server.childEventLoops().isShuttingDown()).as("event loops shutting down after the class").isTrue();
        });
        // Its own session writes its own report; the nested class without settings is in the outer class's.
        String own = Files.readString(reports.resolve(OuterTestCase.OwnSettings.class.getName() + ".json"));
        assertThat(own).contains("\"cycles\": 37").contains("\"connections\": 37");
        String outer = Files.readString(reports.resolve(OuterTestCase.class.getName() + ".json"));
        assertThat(outer).contains("\"cycles\": 100").contains(OuterTestCase.EnclosingSettings.class.getName())
                .doesNotContain(OuterTestCase.OwnSettings.class.getName());
    }

    // --- aborted and disabled tests.

    @DetectConnectionLeaks(cycles = 5, concurrency = 1)
    static class AbortedAndDisabledTestCase {
        @Test
        void passes() {
        }

        @Test
        void aborted() {
            Assumptions.assumeTrue(false, "not on this machine");
        }

        @Test
        @Disabled("by design")
        void disabled() {
        }
    }

    @Test
    void anAbortedTestIsRecordedAsAbortedAndADisabledOneAsSkipped() throws IOException {
        EngineExecutionResults results = TestKit.run(AbortedAndDisabledTestCase.class, reportDirectory());

        results.testEvents().assertStatistics(s -> s.succeeded(1).aborted(1).skipped(1).failed(0));
        String json = Files.readString(reports.resolve(AbortedAndDisabledTestCase.class.getName() + ".json"));
        assertThat(json).contains("\"passed\": true").contains("\"verdict\": \"pass\"");
        assertThat(outcomesByMethod(json)).containsExactlyInAnyOrderEntriesOf(
                Map.of("passes", "pass", "aborted", "aborted", "disabled", "skipped"));
    }

    // --- each verdict names its test uniquely.

    @DetectConnectionLeaks(cycles = 5, concurrency = 1)
    static class LookAlikeTestCase {
        @ParameterizedTest
        @ValueSource(ints = 10)
        void first(int n) {
        }

        @ParameterizedTest
        @ValueSource(ints = 10)
        void second(int n) {
        }

        @RepeatedTest(2)
        void repeated() {
        }

        @TestFactory
        Stream<DynamicTest> factory() {
            return Stream.of(1, 2, 3).map(i -> DynamicTest.dynamicTest("dynamic " + i, () -> { }));
        }

        @Nested
        class Inner {
            @Test
            void inner() {
            }
        }
    }

    @Test
    void verdictsNameTheirTestsUniquelyAndATestFactoryGetsOne() throws IOException {
        EngineExecutionResults results = TestKit.run(LookAlikeTestCase.class, reportDirectory());

        results.testEvents().assertStatistics(s -> s.succeeded(8).failed(0));
        String json = Files.readString(reports.resolve(LookAlikeTestCase.class.getName() + ".json"));
        List<Map<String, String>> tests = testsOf(json);
        assertThat(tests).extracting(t -> t.get("methodName"))
                .containsExactlyInAnyOrder("first", "second", "repeated", "repeated", "factory", "inner");
        assertThat(tests).extracting(t -> t.get("uniqueId")).doesNotHaveDuplicates().allMatch(id -> id.startsWith("[engine:"));
        // Both display alike ("[1] 10"; the exact words vary across JUnit versions): the method tells them apart.
        assertThat(tests).filteredOn(t -> List.of("first", "second").contains(t.get("methodName")))
                .extracting(t -> t.get("name")).hasSize(2).containsOnly(tests.stream()
                        .filter(t -> t.get("methodName").equals("first")).findFirst().orElseThrow().get("name"));
        assertThat(tests).filteredOn(t -> t.get("methodName").equals("inner")).extracting(t -> t.get("className"))
                .containsExactly(LookAlikeTestCase.Inner.class.getName());
        assertThat(Files.readString(reports.resolve(LookAlikeTestCase.class.getName() + ".html")))
                .contains("<code>JUnitConventionsTests$LookAlikeTestCase#first</code>")
                .contains("<code>JUnitConventionsTests$LookAlikeTestCase#second</code>")
                .contains("<code>JUnitConventionsTests$LookAlikeTestCase$Inner#inner</code>");
    }

    // --- a class whose set-up failed shows one error.

    @DetectConnectionLeaks(cycles = -5)
    static class BadSettingsTestCase {
        @Test
        void test(ConnectionDriver driver) {
        }

        @Nested
        class Inner {
            @Test
            void test() {
            }
        }
    }

    @Test
    void aFailedSetUpIsOneErrorWithNothingPiledOnTop() {
        EngineExecutionResults results = TestKit.run(BadSettingsTestCase.class, reportDirectory());

        results.containerEvents().assertThatEvents().haveExactly(1, event(container(), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class), message(m -> m.startsWith(
                        "Invalid Leakproof setting leakproof.cycles = '-5'")))));
        List<Throwable> failures = results.allEvents().failed().stream().map(JUnitConventionsTests::throwable).toList();
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).getSuppressed()).as("errors added after the set-up failed").isEmpty();
        results.testEvents().assertStatistics(s -> s.started(0));
    }

    private Map<String, String> reportDirectory() {
        return Map.of(DetectConnectionLeaks.REPORT_DIRECTORY_PROPERTY_NAME, reports.toString());
    }

    static Throwable throwable(Event event) {
        return event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable).orElseThrow();
    }

    private static final Pattern STRING_FIELD = Pattern.compile("\"(\\w+)\": (?:\"((?:[^\"\\\\]|\\\\.)*)\"|null)");

    /** The string fields of each test object in a class report's "tests" array (the report's own layout). */
    static List<Map<String, String>> testsOf(String json) {
        String tests = json.substring(json.indexOf("\"tests\": ["), json.indexOf("\"classFindings\""));
        return Stream.of(tests.split("\n    \\{")).skip(1).map(test -> {
            Map<String, String> fields = new java.util.HashMap<>();
            Matcher m = STRING_FIELD.matcher(test);
            while (m.find()) {
                fields.putIfAbsent(m.group(1), m.group(2));
            }
            return fields;
        }).toList();
    }

    private static Map<String, String> outcomesByMethod(String json) {
        Map<String, String> outcomes = new java.util.HashMap<>();
        testsOf(json).forEach(t -> outcomes.put(t.get("methodName"), t.get("outcome")));
        return outcomes;
    }
}
