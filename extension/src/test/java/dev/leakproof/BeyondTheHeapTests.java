package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.Exchange;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Leaks the heap check alone does not explain: file descriptors, sockets left in
 * CLOSE_WAIT, threads and scheduled tasks. Each leaky handler must fail, each fixed twin pass.
 */
class BeyondTheHeapTests {

    static final Path AUDIT_DIRECTORY = Path.of("target", "fd-leak-audit");
    static final AtomicInteger SESSIONS = new AtomicInteger();

    // --- a file opened per connection and never closed.

    /**
     * The audit logs a flusher writes out every second, as a server might keep them. The leaky
     * handler never closes its log nor takes it out: held here, it cannot be closed by a GC's
     * cleaner either (a log nobody references is, at the JVM's next collection, which made this test
     * pass on Temurin 25 when a young collection ran during the cycles).
     */
    static final java.util.List<OutputStream> OPEN_LOGS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void closeTheLogs() throws IOException {
        for (OutputStream log : OPEN_LOGS) {
            log.close();
        }
        OPEN_LOGS.clear();
    }

    static final class AuditLogHandler extends ChannelInboundHandlerAdapter {
        private final boolean closeOnInactive;
        private OutputStream log;

        AuditLogHandler(boolean closeOnInactive) {
            this.closeOnInactive = closeOnInactive;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws IOException {
            Files.createDirectories(AUDIT_DIRECTORY);
            log = new FileOutputStream(AUDIT_DIRECTORY.resolve("session-" + SESSIONS.incrementAndGet() + ".log").toFile());
            log.write("connected\n".getBytes());
            OPEN_LOGS.add(log);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws IOException {
            if (closeOnInactive) {
                OPEN_LOGS.remove(log);
                log.close();
            }
            ctx.fireChannelInactive();
        }
    }

    @DetectConnectionLeaks(cycles = 100, concurrency = 4)
    static class FileLeakTestCase {
        @ServerPipeline
        static AuditLogHandler handler() {
            return new AuditLogHandler(false);
        }

        @Test
        void connections() {
        }
    }

    @DetectConnectionLeaks(cycles = 100, concurrency = 4)
    static class FileClosedTestCase {
        @ServerPipeline
        static AuditLogHandler handler() {
            return new AuditLogHandler(true);
        }

        @Test
        void connections() {
        }
    }

    @Test
    void aFileOpenedPerConnectionAndNeverClosedFails() {
        String message = TestKit.onlyFailureMessage(TestKit.tests(FileLeakTestCase.class));
        assertThat(message).matches("(?s)\\d+ file descriptors opened during the test are still open after every "
                + "connection closed \\(100 connections; .*: \\d+ x file in .*target/fd-leak-audit.*");
    }

    @Test
    void aFileClosedWithItsConnectionPasses() {
        TestKit.tests(FileClosedTestCase.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    // --- a server that ignores the peer's close: the socket stays in CLOSE_WAIT.

    static final class IgnoresPeerCloseHandler extends ChannelInboundHandlerAdapter {
        private final boolean closeWhenPeerCloses;

        IgnoresPeerCloseHandler(boolean closeWhenPeerCloses) {
            this.closeWhenPeerCloses = closeWhenPeerCloses;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent && closeWhenPeerCloses) {
                ctx.close();
                return;
            }
            // otherwise ignored: the server keeps its side open forever
        }
    }

    static ChannelInitializer<Channel> halfClosingPipeline(boolean closeWhenPeerCloses) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                ch.pipeline().addLast(new IgnoresPeerCloseHandler(closeWhenPeerCloses));
            }
        };
    }

    @DetectConnectionLeaks(cycles = 5, concurrency = 1, gracePeriod = "500ms", closeStyle = ConnectionClose.HALF_CLOSE)
    static class CloseWaitTestCase {
        @ServerPipeline
        static ChannelInitializer<Channel> pipeline() {
            return halfClosingPipeline(false);
        }

        @Test
        void connections(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
        }
    }

    @DetectConnectionLeaks(cycles = 5, concurrency = 1, gracePeriod = "500ms", closeStyle = ConnectionClose.HALF_CLOSE)
    static class ClosesWhenPeerClosesTestCase {
        @ServerPipeline
        static ChannelInitializer<Channel> pipeline() {
            return halfClosingPipeline(true);
        }

        @Test
        void connections(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
        }
    }

    @Test
    void aServerThatIgnoresThePeersCloseLeavesSocketsInCloseWaitAndFails() {
        String message = TestKit.onlyFailureMessage(TestKit.tests(CloseWaitTestCase.class));
        assertThat(message).startsWith("5 connections still open at the fixture server 500 ms after the test (5 connections in all): ");
        if (java.nio.file.Files.exists(Path.of("/proc/net/tcp6"))) {
            assertThat(message).as("the 5 sockets, grouped, in CLOSE_WAIT").matches("(?s).*5 x client ports \\d+, \\d+, \\d+ "
                    + "and 2 more \\(opened .* ago\\): TCP CLOSE_WAIT: the client closed its side, the server never closed.*");
        }
    }

    @Test
    void aServerThatClosesWhenThePeerClosesPasses() {
        TestKit.tests(ClosesWhenPeerClosesTestCase.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    // --- a thread per connection, never stopped.

    static final class WorkerThreadHandler extends ChannelInboundHandlerAdapter {
        private final boolean stopOnInactive;
        private Thread worker;

        WorkerThreadHandler(boolean stopOnInactive) {
            this.stopOnInactive = stopOnInactive;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            worker = new Thread(() -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // stopped with its connection
                }
            }, "session-worker-" + SESSIONS.incrementAndGet());
            worker.setDaemon(true);
            worker.start();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (stopOnInactive) {
                worker.interrupt();
            }
            ctx.fireChannelInactive();
        }
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2, gracePeriod = "1s")
    static class ThreadLeakTestCase {
        @ServerPipeline
        static WorkerThreadHandler handler() {
            return new WorkerThreadHandler(false);
        }

        @Test
        void connections() {
        }
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2, gracePeriod = "1s")
    static class ThreadStoppedTestCase {
        @ServerPipeline
        static WorkerThreadHandler handler() {
            return new WorkerThreadHandler(true);
        }

        @Test
        void connections() {
        }
    }

    @Test
    void aThreadStartedPerConnectionAndNeverStoppedFails() {
        Events tests = TestKit.tests(ThreadLeakTestCase.class);
        // The top frame is Thread.sleep's native part: sleep on JDK 17, sleepNanos0 on JDK 25.
        tests.assertThatEvents().haveExactly(1, event(test("connections"), finishedWithFailure(message(m ->
                m.contains("20 threads started during the test are still running (20 connections): session-worker-")
                        && m.contains("(TIMED_WAITING at java.lang.Thread.sleep")))));
    }

    @Test
    void aThreadStoppedWithItsConnectionPasses() {
        TestKit.tests(ThreadStoppedTestCase.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    // --- a task scheduled per connection on the event loop and never cancelled; it holds nothing of the connection.

    static final class AuditTask implements Runnable {
        @Override
        public void run() {
            // writes an audit record, once an hour
        }
    }

    static final class ScheduledAuditHandler extends ChannelInboundHandlerAdapter {
        private final boolean cancelOnInactive;
        private ScheduledFuture<?> audit;

        ScheduledAuditHandler(boolean cancelOnInactive) {
            this.cancelOnInactive = cancelOnInactive;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            audit = ctx.executor().scheduleAtFixedRate(new AuditTask(), 1, 1, TimeUnit.HOURS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (cancelOnInactive) {
                audit.cancel(false);
            }
            ctx.fireChannelInactive();
        }
    }

    @DetectConnectionLeaks(cycles = 50, concurrency = 4)
    static class TaskLeakTestCase {
        @ServerPipeline
        static ScheduledAuditHandler handler() {
            return new ScheduledAuditHandler(false);
        }

        @Test
        void connections() {
        }
    }

    @DetectConnectionLeaks(cycles = 50, concurrency = 4)
    static class TaskCancelledTestCase {
        @ServerPipeline
        static ScheduledAuditHandler handler() {
            return new ScheduledAuditHandler(true);
        }

        @Test
        void connections() {
        }
    }

    @Test
    void aScheduledTaskNeverCancelledFails() {
        Events tests = TestKit.tests(TaskLeakTestCase.class);
        tests.assertThatEvents().haveExactly(1, event(test("connections"), finishedWithFailure(message(m ->
                m.startsWith("50 scheduled tasks are still pending on the server's event loops after every connection "
                        + "closed (50 connections): 50 x BeyondTheHeapTests$AuditTask.")))));
    }

    @Test
    void aScheduledTaskCancelledWithItsConnectionPasses() {
        TestKit.tests(TaskCancelledTestCase.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }
}
