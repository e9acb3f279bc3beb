package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.Exchange;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * What the defaults promise, run through the engine with no setting changed: 1000 cycles catch a
 * leak of one connection in a hundred. Each connection of a leak that strikes at random is missed
 * with probability 0.99, so all 1000 are missed with probability 0.99^1000 = 4.3e-5 (300 cycles would
 * miss it one time in 20, 459 one time in 100). The draw here is a seeded random, so the count is
 * the same in every run: 11 of the 1000 draws of seed 42 hit.
 */
class DefaultsTests {

    static final List<Object> SESSIONS = new CopyOnWriteArrayList<>();
    /** The draws, from the seed again for each class run (Random is thread-safe: the event loops share it). */
    static volatile Random draws = new Random(42);

    /** Keeps about one connection in a hundred in a static list, chosen by a draw when it becomes active. */
    static final class SometimesRegisteringHandler extends ChannelInboundHandlerAdapter {
        private final boolean removeOnClose;
        private ChannelHandlerContext ctx; // the session keeps its context, as most do

        SometimesRegisteringHandler(boolean removeOnClose) {
            this.removeOnClose = removeOnClose;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            if (draws.nextInt(100) == 0) {
                SESSIONS.add(this);
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (removeOnClose) {
                SESSIONS.remove(this);
            }
            ctx.fireChannelInactive();
        }
    }

    @DetectConnectionLeaks
    static class OneInAHundredTestCase {
        @ServerPipeline
        static SometimesRegisteringHandler handler() {
            return new SometimesRegisteringHandler(false);
        }

        @Test
        void driveConnections(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
        }
    }

    @DetectConnectionLeaks
    static class OneInAHundredFixedTestCase {
        @ServerPipeline
        static SometimesRegisteringHandler handler() {
            return new SometimesRegisteringHandler(true);
        }

        @Test
        void driveConnections(ConnectionDriver driver) {
            driver.run(Exchange.handshakeOnly());
        }
    }

    @Test
    void defaultCyclesCatchALeakOfOneConnectionInAHundred() {
        SESSIONS.clear();
        draws = new Random(42);
        Events tests = TestKit.tests(OneInAHundredTestCase.class);
        int kept = SESSIONS.size();
        SESSIONS.clear();
        assertThat(kept).as("the draws of seed 42 that hit").isEqualTo(11);
        tests.assertThatEvents().haveExactly(1, event(test("driveConnections"), finishedWithFailure(
                instanceOf(ConnectionLeakError.class),
                message(m -> m.startsWith("11 of 1000 connections leaked: 11 x DefaultsTests$SometimesRegisteringHandler, ")
                        && m.contains("SESSIONS")))));
    }

    @Test
    void defaultCyclesPassTheFixedTwin() {
        draws = new Random(42);
        TestKit.tests(OneInAHundredFixedTestCase.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }
}
