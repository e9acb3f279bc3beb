package dev.leakproof.examples.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.LeakTracker;
import dev.leakproof.ServerPipeline;
import dev.leakproof.examples.LinePipeline;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import org.junit.jupiter.api.Test;

/**
 * The fixed twin of {@link PresenceRegistryLeakExample}: the same test against
 * {@link FixedPresenceHandler}, which removes the session in {@code channelInactive}. It passes.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(PresenceRegistryFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 200, concurrency = 4)
public final class PresenceRegistryFixedExample {

    @ServerPipeline
    static ChannelInitializer<Channel> presenceServer(LeakTracker tracker) {
        return LinePipeline.withHandler(() -> new FixedPresenceHandler(
                session -> tracker.track(session.channel(), session, "PresenceSession")));
    }

    @Test
    void usersComeOnlineAndLeave(ConnectionDriver driver) {
        DriverStats stats = driver.run(c -> {
            c.send("HELLO user" + c.cycle());
            c.expectLinePrefix("WELCOME user" + c.cycle());
        });
        assertThat(stats.failuresByCause()).isEmpty();
    }
}
