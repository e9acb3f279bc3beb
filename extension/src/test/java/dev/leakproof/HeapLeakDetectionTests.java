package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.leakproof.fixture.CloseStyle;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.Exchange;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Each leak the weak-reference verdict must catch, run through the engine: the leaky twin must fail
 * with the expected message and counts, the fixed twin must pass.
 */
class HeapLeakDetectionTests {

    // --- a global connection list: a global registry that never removes closed connections.

    static final List<Object> REGISTRY = new CopyOnWriteArrayList<>();

    static final class RegisteringHandler extends ChannelInboundHandlerAdapter {
        private final boolean unregisterOnClose;
        private ChannelHandlerContext ctx; // the connection object keeps its context, as most do

        RegisteringHandler(boolean unregisterOnClose) {
            this.unregisterOnClose = unregisterOnClose;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            REGISTRY.add(this);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (unregisterOnClose) {
                REGISTRY.remove(this);
            }
            ctx.fireChannelInactive();
        }
    }

    @DetectConnectionLeaks(cycles = 200, concurrency = 4)
    static class StaticRegistryTestCase {
        @ServerPipeline
        static RegisteringHandler handler() {
            return new RegisteringHandler(false);
        }

        @Test
        void driveConnections(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
        }
    }

    @DetectConnectionLeaks(cycles = 200, concurrency = 4)
    static class StaticRegistryFixedTestCase {
        @ServerPipeline
        static RegisteringHandler handler() {
            return new RegisteringHandler(true);
        }

        @Test
        void driveConnections(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
        }
    }

    /** Forgets the connections the leaky registry kept, for tests that run it beside others. */
    static void clearRegistry() {
        REGISTRY.clear();
    }

    @Test
    void staticRegistryLeakFailsWithCountsAndClasses() {
        REGISTRY.clear();
        Events tests = TestKit.tests(StaticRegistryTestCase.class);
        REGISTRY.clear();
        tests.assertThatEvents().haveExactly(1, event(test("driveConnections"), finishedWithFailure(
                instanceOf(ConnectionLeakError.class),
                message(m -> m.startsWith("200 of 200 connections leaked: 200 x HeapLeakDetectionTests$RegisteringHandler, "
                        + "200 x SslHandler, 200 x SSLEngineImpl, 200 x NioSocketChannel survived a full GC (gcRun ran ")
                        && m.contains("Open connections at fixture server: 0.")
                        // the buffers every connection shares (the allocator's pools) are no connection's
                        && !m.contains("Netty buffer")
                        && m.contains("What to do next")))));
    }

    @Test
    void staticRegistryFixedTwinPasses() {
        TestKit.tests(StaticRegistryFixedTestCase.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    // --- a task per connection: a heartbeat scheduled per connection and never cancelled; it captures the context.

    static final class HeartbeatHandler extends ChannelInboundHandlerAdapter {
        private final boolean cancelOnClose;
        private ScheduledFuture<?> heartbeat;

        HeartbeatHandler(boolean cancelOnClose) {
            this.cancelOnClose = cancelOnClose;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            heartbeat = ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush("PING\n"), 1, 1, TimeUnit.HOURS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (cancelOnClose) {
                heartbeat.cancel(false);
            }
            ctx.fireChannelInactive();
        }
    }

    @DetectConnectionLeaks(cycles = 100, concurrency = 4)
    static class HeartbeatTestCase {
        @ServerPipeline
        static HeartbeatHandler handler() {
            return new HeartbeatHandler(false);
        }

        @Test
        void driveConnections() {
            // no connections of its own: the extension drives the configured cycles
        }
    }

    @DetectConnectionLeaks(cycles = 100, concurrency = 4)
    static class HeartbeatFixedTestCase {
        @ServerPipeline
        static HeartbeatHandler handler() {
            return new HeartbeatHandler(true);
        }

        @Test
        void driveConnections() {
        }
    }

    @Test
    void uncancelledHeartbeatFails() {
        Events tests = TestKit.tests(HeartbeatTestCase.class);
        tests.assertThatEvents().haveExactly(1, event(test("driveConnections"), finishedWithFailure(
                message(m -> m.startsWith("100 of 100 connections leaked: 100 x HeapLeakDetectionTests$HeartbeatHandler")))));
    }

    @Test
    void cancelledHeartbeatPasses() {
        TestKit.tests(HeartbeatFixedTestCase.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    // --- a cache keyed by connection, cleaned up on the polite path only: leaks on abrupt reset.

    static final Map<Channel, Object> SESSIONS = new ConcurrentHashMap<>();

    static final class SessionCacheHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            SESSIONS.put(ctx.channel(), ctx);
            if ("QUIT".equals(msg)) {
                SESSIONS.remove(ctx.channel());
                ctx.writeAndFlush("BYE\n").addListener(f -> ctx.close());
                return;
            }
            ctx.writeAndFlush(msg + "\n");
        }
    }

    static ChannelInitializer<Channel> sessionCachePipeline() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new LineBasedFrameDecoder(256), new StringDecoder(), new StringEncoder(),
                        new SessionCacheHandler());
            }
        };
    }

    @DetectConnectionLeaks(cycles = 100, concurrency = 4)
    static class CacheLeaksOnlyOnResetTestCase {
        @ServerPipeline
        static ChannelInitializer<Channel> pipeline() {
            return sessionCachePipeline();
        }

        @Test
        void politeQuit(ConnectionDriver driver) {
            driver.run(100, CloseStyle.SERVER_CLOSE, Exchange.echo("hello"));
        }

        @Test
        void resetOneInTen(ConnectionDriver driver) {
            driver.run(90, CloseStyle.SERVER_CLOSE, Exchange.echo("hello"));
            driver.run(10, CloseStyle.ABRUPT_RESET, Exchange.echo("hello"));
        }
    }

    @Test
    void cacheLeakOnlyOnAbruptResetIsCaughtInTheTestThatResets() {
        SESSIONS.clear();
        Events tests = TestKit.tests(CacheLeaksOnlyOnResetTestCase.class);
        SESSIONS.clear();
        tests.assertThatEvents()
                .haveExactly(1, event(test("politeQuit"), finishedSuccessfully()))
                .haveExactly(1, event(test("resetOneInTen"), finishedWithFailure(message(m -> m.startsWith(
                        "10 of 100 connections leaked: 10 x HeapLeakDetectionTests$SessionCacheHandler, 10 x LineBasedFrameDecoder, ")))));
    }

    // --- a ThreadLocal on the event loop that keeps the last connection's handler: 1 or 2 of N leak.

    static final ThreadLocal<Object> LAST_HANDLER = new ThreadLocal<>();

    static final class ThreadLocalHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            LAST_HANDLER.set(this);
            ctx.fireChannelActive();
        }
    }

    @DetectConnectionLeaks(cycles = 200, concurrency = 4)
    static class ThreadLocalTestCase {
        @ServerPipeline
        static ThreadLocalHandler handler() {
            return new ThreadLocalHandler();
        }

        @Test
        void driveConnections() {
        }
    }

    @Test
    void threadLocalHoldingTheLastConnectionIsCaught() {
        Events tests = TestKit.tests(ThreadLocalTestCase.class);
        String message = TestKit.onlyFailureMessage(tests);
        // One connection per fixture event loop thread (2 threads) stays reachable from its ThreadLocal.
        assertThat(message).matches("(?s)[12] of 200 connections leaked: [12] x HeapLeakDetectionTests\\$ThreadLocalHandler survived a full GC .*");
    }

    // --- the test's own failure is never hidden.

    @DetectConnectionLeaks(cycles = 20, concurrency = 2)
    static class FailingTestThatAlsoLeaksTestCase {
        @ServerPipeline
        static RegisteringHandler handler() {
            return new RegisteringHandler(false);
        }

        @Test
        void failsOnItsOwn(ConnectionDriver driver) {
            driver.run();
            throw new AssertionError("the test's own failure");
        }
    }

    @Test
    void leakAfterAFailingTestIsAddedAsSuppressed() {
        REGISTRY.clear();
        Events tests = TestKit.tests(FailingTestThatAlsoLeaksTestCase.class);
        REGISTRY.clear();
        tests.assertThatEvents().haveExactly(1, event(test("failsOnItsOwn"), finishedWithFailure(
                message("the test's own failure"),
                new org.assertj.core.api.Condition<>(t -> t.getSuppressed().length == 1
                        && t.getSuppressed()[0] instanceof ConnectionLeakError
                        && t.getSuppressed()[0].getMessage().startsWith("20 of 20 connections leaked"),
                        "a suppressed ConnectionLeakError"))));
    }

    // --- objects registered by the test.

    static final List<Object> KEPT = new CopyOnWriteArrayList<>();

    @DetectConnectionLeaks(cycles = 10, concurrency = 2)
    static class TrackedObjectTestCase {
        @Test
        void keepsATrackedObject(LeakTracker tracker) {
            Object session = new Object();
            tracker.track(session, "ChatSession alice");
            KEPT.add(session);
        }

        @Test
        void dropsATrackedObject(LeakTracker tracker) {
            tracker.track(new Object(), "ChatSession bob");
        }
    }

    @Test
    void objectsRegisteredByTheTestMustBeCollectedToo() {
        KEPT.clear();
        Events tests = TestKit.tests(TrackedObjectTestCase.class);
        KEPT.clear();
        tests.assertThatEvents()
                .haveExactly(1, event(test("dropsATrackedObject"), finishedSuccessfully()))
                .haveExactly(1, event(test("keepsATrackedObject"), finishedWithFailure(message(m -> m.startsWith(
                        "0 of 10 connections leaked, but objects tracked by the test survived a full GC")
                        && m.contains("Tracked by the test and still alive: 1 x ChatSession alice.")))));
    }
}
