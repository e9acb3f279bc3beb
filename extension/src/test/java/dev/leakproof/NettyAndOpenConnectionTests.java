package dev.leakproof;

import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.Exchange;
import dev.leakproof.fixture.HeldConnections;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.junit.jupiter.api.Test;

/** Netty buffer leaks and connections never closed are failures too, each proven both ways. */
class NettyAndOpenConnectionTests {

    /** Copies each inbound buffer and forgets to release either. */
    static final class BufferHandler extends ChannelInboundHandlerAdapter {
        private final boolean release;

        BufferHandler(boolean release) {
            this.release = release;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            ByteBuf copy = ctx.alloc().buffer(in.readableBytes()).writeBytes(in);
            ctx.writeAndFlush(copy.retainedDuplicate());
            if (release) {
                in.release();
                copy.release();
            }
        }
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2)
    static class UnreleasedBufferTestCase {
        @ServerPipeline
        static BufferHandler handler() {
            return new BufferHandler(false);
        }

        @Test
        void echoBytes(ConnectionDriver driver) {
            driver.run(Exchange.echo("hello"));
        }
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2)
    static class ReleasedBufferTestCase {
        @ServerPipeline
        static BufferHandler handler() {
            return new BufferHandler(true);
        }

        @Test
        void echoBytes(ConnectionDriver driver) {
            driver.run(Exchange.echo("hello"));
        }
    }

    @Test
    void unreleasedBufferIsAFailure() {
        TestKit.tests(UnreleasedBufferTestCase.class).assertThatEvents().haveExactly(1, event(test("echoBytes"),
                finishedWithFailure(message(m -> m.contains(" reported by ResourceLeakDetector: ByteBuf.release() was not "
                        + "called before it was garbage-collected") && m.matches("(?s).*\\n  \\d+ x allocated in .*NettyAndOpenConnectionTests\\$BufferHandler.*")))));
    }

    @Test
    void releasedBufferPasses() {
        TestKit.tests(ReleasedBufferTestCase.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @DetectConnectionLeaks(cycles = 3, concurrency = 1, gracePeriod = "300ms")
    static class ConnectionsLeftOpenTestCase {
        @Test
        void holdsConnections(ConnectionDriver driver) {
            HeldConnections held = driver.open(3);
            // never closed: the server still has three open connections at the verdict
        }
    }

    @DetectConnectionLeaks(cycles = 3, concurrency = 1, gracePeriod = "300ms")
    static class ConnectionsClosedTestCase {
        @Test
        void holdsConnections(ConnectionDriver driver) {
            try (HeldConnections held = driver.open(3)) {
                // closed before the test ends
            }
        }
    }

    @Test
    void connectionsLeftOpenFailWithTheirClientPorts() {
        TestKit.tests(ConnectionsLeftOpenTestCase.class).assertThatEvents().haveExactly(1, event(test("holdsConnections"),
                finishedWithFailure(message(m -> m.matches("(?s)3 connections still open at the fixture server 300 ms after "
                        + "the test \\(3 connections in all\\): 3 x client ports \\d+, \\d+, \\d+ \\(opened .* ago\\).*")))));
    }

    @Test
    void connectionsClosedInTimePass() {
        TestKit.tests(ConnectionsClosedTestCase.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }
}
