package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.Exchange;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension's own faults degrade with a clear message and never hide the verdict: the user's
 * pipeline throwing in {@code initChannel}, a test that leaves its thread interrupted, a heap dump
 * that cannot be written, a port that is taken.
 */
class ExtensionFaultTests {

    static final List<Object> REGISTRY = new CopyOnWriteArrayList<>();

    static final class RegisteringHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            REGISTRY.add(this);
            ctx.fireChannelActive();
        }
    }

    @AfterEach
    void forget() {
        REGISTRY.clear();
    }

    // --- the user's pipeline throws while the fixture server sets up each connection.

    @DetectConnectionLeaks(cycles = 50, concurrency = 4)
    static class InitChannelThrowsTestCase {
        @ServerPipeline
        static ChannelInitializer<Channel> pipeline() {
            return new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    throw new IllegalStateException("chat hub not started");
                }
            };
        }

        @Test
        void connections(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
        }
    }

    @Test
    void aPipelineThatThrowsInInitChannelFailsTheTestWithItsException() {
        Events tests = TestKit.tests(InitChannelThrowsTestCase.class);
        tests.assertThatEvents().haveExactly(1, event(test("connections"), finishedWithFailure(message(m ->
                m.equals("The server pipeline threw while setting up 50 of 50 connections (in initChannel), and the "
                        + "fixture server closed each at once: java.lang.IllegalStateException: chat hub not started. No "
                        + "leak verdict is possible for connections that never opened; fix the pipeline first.")))));
    }

    // --- a test that leaves its thread interrupted (a cancelled wait, a preemptive timeout).

    @DetectConnectionLeaks(cycles = 50, concurrency = 4)
    static class InterruptedTestCase {
        @ServerPipeline
        static RegisteringHandler handler() {
            return new RegisteringHandler();
        }

        @Test
        void connections(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aTestThatLeavesItsThreadInterruptedStillGetsAWholeVerdict() {
        Events tests = TestKit.tests(InterruptedTestCase.class);
        tests.assertThatEvents().haveExactly(1, event(test("connections"), finishedWithFailure(
                instanceOf(ConnectionLeakError.class), message(m -> m.startsWith("50 of 50 connections leaked: ")
                        && m.contains("Reference path from a GC root (")))));
    }

    // --- the test's thread is interrupted while the verdict runs (a watchdog, a timeout).

    @DetectConnectionLeaks(cycles = 50, concurrency = 4)
    static class InterruptedDuringVerdictTestCase {
        @ServerPipeline
        static RegisteringHandler handler() {
            return new RegisteringHandler();
        }

        @Test
        void connections(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
            Thread testThread = Thread.currentThread();
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    return;
                }
                testThread.interrupt();
            }, "watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }
    }

    @Test
    void anInterruptDuringTheVerdictNeitherHangsNorHidesTheLeak() {
        Events tests = TestKit.tests(InterruptedDuringVerdictTestCase.class);
        tests.assertThatEvents().haveExactly(1, event(test("connections"), finishedWithFailure(
                instanceOf(ConnectionLeakError.class), message(m -> m.startsWith("50 of 50 connections leaked: ")))));
    }

    // --- the heap dump cannot be written: the verdict stands, the trace says why it is missing.

    @DetectConnectionLeaks(cycles = 50, concurrency = 4)
    static class DumpFailsTestCase {
        @ServerPipeline
        static RegisteringHandler handler() {
            return new RegisteringHandler();
        }

        @Test
        void connections(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
        }
    }

    @Test
    void aHeapDumpThatCannotBeWrittenLeavesTheVerdictAndSaysWhy() throws IOException {
        Path dumps = Path.of("target", "leak-reports", "heap-dumps");
        Path aside = Path.of("target", "leak-reports", "heap-dumps.aside");
        boolean existed = Files.exists(dumps);
        if (existed) {
            Files.move(dumps, aside);
        }
        Files.createDirectories(dumps.getParent());
        Files.writeString(dumps, "a file where the dump directory should be");
        try {
            Events tests = TestKit.tests(DumpFailsTestCase.class);
            tests.assertThatEvents().haveExactly(1, event(test("connections"), finishedWithFailure(
                    instanceOf(ConnectionLeakError.class), message(m -> m.startsWith("50 of 50 connections leaked: ")
                            && m.contains("Reference path: skipped, the heap dump failed: ")))));
        } finally {
            Files.delete(dumps);
            if (existed) {
                Files.move(aside, dumps);
            }
        }
    }

    // --- the port asked for is taken.

    @DetectConnectionLeaks(cycles = 5, concurrency = 1)
    static class PortTakenTestCase {
        @Test
        void connections(ConnectionDriver driver) {
            driver.run();
        }
    }

    @Test
    void aPortThatIsTakenFailsTheClassNamingThePort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Events containers = TestKit.run(PortTakenTestCase.class,
                    Map.of(DetectConnectionLeaks.PORT_PROPERTY_NAME, String.valueOf(port))).containerEvents();
            containers.assertThatEvents().haveExactly(1, event(container(PortTakenTestCase.class), finishedWithFailure(
                    instanceOf(ExtensionConfigurationException.class), message(m -> m.equals(
                            "leakproof.port = " + port + ": the fixture server cannot listen on 127.0.0.1:" + port
                                    + ", the port is taken (java.net.BindException: Address already in use). Leave "
                                    + "leakproof.port unset for a free port, or free the port")))));
        }
        assertThat(TestKit.run(PortTakenTestCase.class).testEvents().succeeded().count()).isEqualTo(1);
    }
}
