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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The global connection list leak story in Java: a presence service keeps every connection's session in a static list and
 * never takes it out. Leakproof fails this test with
 * {@code 200 of 200 connections leaked: 200 x PresenceSession, 200 x NioSocketChannel survived a full GC}
 * (the session holds the channel; Netty empties a closed channel's pipeline, so no handler is listed).
 * {@link PresenceRegistryFixedExample} is its passing twin.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(PresenceRegistryLeakExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 200, concurrency = 4)
public final class PresenceRegistryLeakExample {

    @ServerPipeline
    static ChannelInitializer<Channel> presenceServer(LeakTracker tracker) {
        return LinePipeline.withHandler(() -> new PresenceHandler(
                session -> tracker.track(session.channel(), session, "PresenceSession")));
    }

    @AfterAll
    static void forgetLeakedSessions() {
        OnlineUsers.clear(); // the leak is the point; the next run in this JVM starts clean
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
