package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Leak traces that say the right thing: tasks in an executor's queue group into one signature
 * whatever their place in the queue, with the thread at the root named; a ThreadLocal that gains an
 * entry per connection is told apart from one that keeps the last connection; the scheduled tasks
 * of 100 connections count 100, every run; and unreleased buffers a leaked connection still holds
 * are counted from the heap dump.
 */
class LeakTraceDetailTests {

    // --- one task running and blocked, the others queued behind it, each capturing its handler.

    static final CountDownLatch NEVER = new CountDownLatch(1);
    static ExecutorService worker;

    static final class QueuedWorkHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            worker.submit(() -> {
                try {
                    NEVER.await(); // the audit service is down: every task waits behind the first
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return this;
            });
            ctx.fireChannelActive();
        }
    }

    @DetectConnectionLeaks(cycles = 200, concurrency = 4)
    static class QueuedTasksTestCase {
        @ServerPipeline
        static QueuedWorkHandler handler() {
            return new QueuedWorkHandler();
        }

        @Test
        void connections(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
        }
    }

    @Test
    void tasksQueuedInAnExecutorGroupIntoOneSignatureWithTheThreadNamed() {
        worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "audit-writer"));
        try {
            Events tests = TestKit.tests(QueuedTasksTestCase.class);
            tests.assertThatEvents().haveExactly(1, event(test("connections"), finishedWithFailure(message(m ->
                    m.startsWith("200 of 200 connections leaked: ")
                            && m.matches("(?s).*\\(200 leaking objects, 1 signature; .*")
                            && m.matches("(?s).*\\n    200 instances: Thread\\('audit-writer'\\).*")
                            && m.contains("LinkedBlockingQueue$Node.next (repeated) -> ")
                            && m.contains("Thread('audit-writer')")
                            && m.contains("What to do next: thread 'audit-writer' is blocked or cannot keep up, and its queue holds ")))));
        } finally {
            worker.shutdownNow();
        }
    }

    // --- a ThreadLocal on the event loop that gains an entry per connection.

    static final ThreadLocal<List<Object>> HISTORY = ThreadLocal.withInitial(ArrayList::new);

    static final class HistoryHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            HISTORY.get().add(this);
            ctx.fireChannelActive();
        }
    }

    @DetectConnectionLeaks(cycles = 200, concurrency = 4)
    static class ThreadLocalCollectionTestCase {
        @ServerPipeline
        static HistoryHandler handler() {
            return new HistoryHandler();
        }

        @Test
        void connections(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
        }
    }

    @Test
    void aThreadLocalCollectingEveryConnectionIsNotCalledTheLastConnection() {
        Events tests = TestKit.tests(ThreadLocalCollectionTestCase.class);
        tests.assertThatEvents().haveExactly(1, event(test("connections"), finishedWithFailure(message(m ->
                m.startsWith("200 of 200 connections leaked: ")
                        && m.contains("What to do next: a ThreadLocal on a long-lived thread holds a collection that gains "
                                + "an entry per connection (200 left behind, more than its 2 threads could hold one each)")
                        && !m.contains("keeps the last connection")))));
    }

    // --- a periodic task per connection, never cancelled: counted after the heap's settling.

    static final class HeartbeatHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush("PING\n"), 1, 1, TimeUnit.HOURS);
            ctx.fireChannelActive();
        }
    }

    @DetectConnectionLeaks(cycles = 100, concurrency = 4)
    static class HeartbeatsTestCase {
        @ServerPipeline
        static HeartbeatHandler handler() {
            return new HeartbeatHandler();
        }

        @Test
        void connections(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
        }
    }

    @Test
    void everyUncancelledHeartbeatIsCountedEveryRun() {
        for (int run = 0; run < 3; run++) {
            TestKit.tests(HeartbeatsTestCase.class).assertThatEvents().haveExactly(1, event(test("connections"),
                    finishedWithFailure(message(m -> m.startsWith("100 of 100 connections leaked: ")
                            && m.contains("100 scheduled tasks are still pending on the server's event loops after every "
                                    + "connection closed (100 connections)")))));
        }
    }

    // --- a leaked connection that also holds buffers it never released.

    static final Map<Object, Object> KEPT = new ConcurrentHashMap<>();

    static final class BufferKeepingHandler extends ChannelInboundHandlerAdapter {
        private ByteBuf pending;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            pending = ctx.alloc().buffer(64).writeZero(64); // a partial frame kept for later, never released
            KEPT.put(ctx.channel().id(), this);
            ctx.fireChannelActive();
        }
    }

    @DetectConnectionLeaks(cycles = 50, concurrency = 4)
    static class BuffersInLeakedConnectionsTestCase {
        @ServerPipeline
        static BufferKeepingHandler handler() {
            return new BufferKeepingHandler();
        }

        @Test
        void connections(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
        }
    }

    @Test
    void buffersALeakedConnectionStillHoldsAreCounted() {
        Events tests = TestKit.tests(BuffersInLeakedConnectionsTestCase.class);
        tests.assertThatEvents().haveExactly(1, event(test("connections"), finishedWithFailure(message(m ->
                m.startsWith("50 of 50 connections leaked: ")
                        && m.contains("The leaked objects hold 50 Netty buffers with a reference count above zero, never "
                                + "released")))));
    }

    // --- the same, after an HTTP pipeline ran in this JVM: HttpObjectEncoder's static CRLF buffers
    // stay tracked by Netty's leak detector for good, and the detector's set of every tracked buffer
    // is no part of a leaked connection.

    static final Map<String, AtomicLong> RECENT_URIS = Collections.synchronizedMap(DrivenRunGrowthTests.lruOf(16));

    @DetectConnectionLeaks(cycles = 300, gracePeriod = "1s")
    static class HttpPipelineTestCase {
        @ServerPipeline
        static ChannelInitializer<Channel> pipeline() {
            return DrivenRunGrowthTests.metricsServer(RECENT_URIS);
        }

        @Test
        void requests() {
        }
    }

    @Test
    void buffersALeakedConnectionStillHoldsAreCountedAfterAnHttpPipelineRan() {
        assertThat(TestKit.failures(TestKit.tests(HttpPipelineTestCase.class))).isEmpty();
        Events tests = TestKit.tests(BuffersInLeakedConnectionsTestCase.class);
        assertThat(TestKit.onlyFailureMessage(tests)).startsWith("50 of 50 connections leaked: ")
                .contains("The leaked objects hold 50 Netty buffers with a reference count above zero, never released");
    }

    @AfterEach
    void forget() {
        KEPT.values().forEach(h -> ((BufferKeepingHandler) h).pending.release());
        KEPT.clear();
    }
}
