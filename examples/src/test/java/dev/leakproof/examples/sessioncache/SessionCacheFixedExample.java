package dev.leakproof.examples.sessioncache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.LeakTracker;
import dev.leakproof.ServerPipeline;
import dev.leakproof.examples.LinePipeline;
import dev.leakproof.fixture.CloseStyle;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.Exchange;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The fixed twin of {@link SessionCacheLeakExample}: the same tests against
 * {@link FixedSessionCacheHandler}, which removes the session in {@code channelInactive}. Both pass.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(SessionCacheFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 100, concurrency = 4)
public final class SessionCacheFixedExample {

    /** The server's session cache: it outlives every connection, as in production. */
    static final SessionCache SESSIONS = new SessionCache();

    static final Exchange LOGIN = c -> {
        c.send("LOGIN user" + c.cycle());
        c.expectLine("OK user" + c.cycle());
    };

    @ServerPipeline
    static ChannelInitializer<Channel> sessionServer(LeakTracker tracker) {
        return LinePipeline.withHandler(() -> new FixedSessionCacheHandler(SESSIONS,
                session -> tracker.track(session.channel(), session, "UserSession")));
    }

    @AfterAll
    static void forgetSessions() {
        SESSIONS.clear(); // like a server shutdown: the next run in this JVM starts clean
    }

    @Test
    void everyClientSaysQuit(ConnectionDriver driver) {
        // SERVER_CLOSE: the driver sends QUIT and waits for the server to close.
        DriverStats stats = driver.run(100, CloseStyle.SERVER_CLOSE, LOGIN);
        assertThat(stats.failuresByCause()).isEmpty();
    }

    @Test
    void oneClientInTenVanishesWithoutQuit(ConnectionDriver driver) {
        DriverStats polite = driver.run(90, CloseStyle.SERVER_CLOSE, LOGIN);
        DriverStats vanished = driver.run(10, CloseStyle.ABRUPT_RESET, LOGIN);
        assertThat(polite.failuresByCause()).isEmpty();
        assertThat(vanished.failuresByCause()).isEmpty();
    }
}
