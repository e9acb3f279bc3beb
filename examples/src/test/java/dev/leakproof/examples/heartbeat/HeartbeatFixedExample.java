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
 * The fixed twin of {@link HeartbeatLeakExample}: the same test against
 * {@link FixedHeartbeatHandler}, which cancels the heartbeat in {@code channelInactive}. It passes.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(HeartbeatFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 200, concurrency = 4)
public final class HeartbeatFixedExample {

    /** The server's shared scheduler: it outlives every connection, as in production. */
    private static ScheduledExecutorService heartbeats;

    @ServerPipeline
    static ChannelInitializer<Channel> heartbeatServer(LeakTracker tracker) {
        return LinePipeline.withHandler(() -> new FixedHeartbeatHandler(heartbeats, Duration.ofSeconds(30),
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
