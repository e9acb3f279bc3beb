package dev.leakproof.examples.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.LeakTracker;
import dev.leakproof.ServerPipeline;
import dev.leakproof.examples.LinePipeline;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat leak story in Java: each connection gets a heartbeat on the server's shared
 * {@link java.util.concurrent.ScheduledExecutorService}, and the heartbeat (which captures the
 * ChannelHandlerContext) is never cancelled. Leakproof fails this test with
 * {@code 200 of 200 connections leaked: 200 x HeartbeatHandler, 200 x HeartbeatSession, ...}.
 * {@link HeartbeatFixedExample} is its passing twin.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(HeartbeatLeakExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 200, concurrency = 4)
public final class HeartbeatLeakExample {

    /** The server's shared scheduler: it outlives every connection, as in production. */
    private static ScheduledExecutorService heartbeats;

    @ServerPipeline
    static ChannelInitializer<Channel> heartbeatServer(LeakTracker tracker) {
        return LinePipeline.withHandler(() -> new HeartbeatHandler(heartbeats, Duration.ofSeconds(30),
                session -> tracker.track(session.channel(), session, "HeartbeatSession")));
    }

    @BeforeAll
    static void startHeartbeats() {
        heartbeats = Heartbeats.newScheduler(); // before the first connection; read per connection above
    }

    @AfterAll
    static void stopHeartbeats() throws InterruptedException {
        // Like a server shutdown: drops whatever is still queued and ends the scheduler's thread.
        heartbeats.shutdownNow();
        assertThat(heartbeats.awaitTermination(5, TimeUnit.SECONDS)).as("heartbeat thread ended").isTrue();
    }

    @Test
    void clientsSayHelloAndLeave(ConnectionDriver driver) {
        DriverStats stats = driver.run(c -> {
            c.send("HELLO");
            c.expectLine("HI");
        });
        assertThat(stats.failuresByCause()).isEmpty();
    }
}
