package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.Exchange;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/** The reference path that holds a leaked connection, from a heap dump analysed with Shark. */
class LeakTraceTests {

    static final Path DUMPS = Path.of("target", "leak-reports", "heap-dumps");

    /** The global connection list leak story in Java: every connection's session goes into a static map, keyed by channel id, forever. */
    static final Map<Object, Object> CONNECTIONS = new ConcurrentHashMap<>();

    static final class SessionHandler extends ChannelInboundHandlerAdapter {
        private ChannelHandlerContext ctx;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            CONNECTIONS.put(ctx.channel().id(), this);
            ctx.fireChannelActive();
        }
    }

    @DetectConnectionLeaks(cycles = 1000, concurrency = 8)
    static class ThousandLeaksTestCase {
        @ServerPipeline
        static SessionHandler handler() {
            return new SessionHandler();
        }

        @Test
        void connections(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
        }
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2, leakTrace = false)
    static class CountsOnlyTestCase {
        @ServerPipeline
        static SessionHandler handler() {
            return new SessionHandler();
        }

        @Test
        void connections() {
        }
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2, keepHeapDump = true)
    static class KeptDumpTestCase {
        @ServerPipeline
        static SessionHandler handler() {
            return new SessionHandler();
        }

        @Test
        void connections() {
        }
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2, leakTraceTimeout = "1ms")
    static class TimeLimitTestCase {
        @ServerPipeline
        static SessionHandler handler() {
            return new SessionHandler();
        }

        @Test
        void connections() {
        }
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2,
            leakTraceIgnore = "static dev.leakproof.LeakTraceTests#CONNECTIONS")
    static class IgnoredReferenceTestCase {
        @ServerPipeline
        static SessionHandler handler() {
            return new SessionHandler();
        }

        @Test
        void connections() {
        }
    }

    @AfterEach
    void forgetConnections() {
        CONNECTIONS.clear();
    }

    @Test
    void thousandLeaksCollapseIntoOneSignatureNamingTheStaticFieldTheMapAndTheClass() throws IOException {
        Events tests = TestKit.tests(ThousandLeaksTestCase.class);
        tests.assertThatEvents().haveExactly(1, event(test("connections"), finishedWithFailure(message(m ->
                m.startsWith("1000 of 1000 connections leaked: 1000 x LeakTraceTests$SessionHandler, ")
                        && m.contains("Reference path from a GC root (1000 leaking objects, 1 signature; ")
                        && m.contains("1000 instances: static LeakTraceTests.CONNECTIONS[] -> LeakTraceTests$SessionHandler"
                                + "   (GC root: static field)")))));
        assertThat(heapDumps()).as("heap dumps are deleted after analysis").isEmpty();
    }

    @Test
    void withoutLeakTracesTheFailureHasCountsOnly() {
        Events tests = TestKit.tests(CountsOnlyTestCase.class);
        tests.assertThatEvents().haveExactly(1, event(test("connections"), finishedWithFailure(message(m ->
                m.startsWith("20 of 20 connections leaked") && !m.contains("Reference path")))));
    }

    @Test
    void aKeptHeapDumpIsNamedAndReadableByItsOwnerOnly() throws IOException {
        String message = TestKit.onlyFailureMessage(TestKit.tests(KeptDumpTestCase.class));
        Matcher kept = Pattern.compile("Heap dump kept at (\\S+\\.hprof)").matcher(message);
        assertThat(kept.find()).as(message).isTrue();
        Path dump = Path.of(kept.group(1));
        try {
            assertThat(dump).exists().isRegularFile();
            assertThat(dump.toAbsolutePath().toString()).contains("/target/leak-reports/heap-dumps/");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dump))).isEqualTo("rw-------");
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    @Test
    void pastItsTimeLimitTheTraceIsSkippedAndTheVerdictStillFails() throws IOException {
        Events tests = TestKit.tests(TimeLimitTestCase.class);
        tests.assertThatEvents().haveExactly(1, event(test("connections"), finishedWithFailure(message(m ->
                m.startsWith("20 of 20 connections leaked")
                        && m.contains("Reference path: skipped, the analysis passed its time limit of 1 ms.")))));
        assertThat(heapDumps()).isEmpty();
    }

    @Test
    void anIgnoredReferenceIsNotReportedAsThePath() {
        String message = TestKit.onlyFailureMessage(TestKit.tests(IgnoredReferenceTestCase.class));
        assertThat(message).startsWith("20 of 20 connections leaked").doesNotContain("static LeakTraceTests.CONNECTIONS");
    }

    private static java.util.List<Path> heapDumps() throws IOException {
        if (!Files.exists(DUMPS)) {
            return java.util.List.of();
        }
        try (Stream<Path> files = Files.list(DUMPS)) {
            return files.filter(p -> p.getFileName().toString().contains("LeakTraceTests")).toList();
        }
    }
}
