package dev.leakproof.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.LeakTracker;
import dev.leakproof.ServerPipeline;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dead peers: clients that log in and then go silent are closed by the server's idle timeout, and
 * those connections must leave nothing behind either (the timer task, the session, the handler).
 */
// Each cycle waits out the idle timeout, so the cycles run 25 at a time to keep the class short.
@DetectConnectionLeaks(cycles = 100, concurrency = 25)
class ChatServerIdleLeakTests {

    static final ChatHub HUB = new ChatHub();

    @ServerPipeline
    static ChannelInitializer<Channel> chatServer(LeakTracker tracker) {
        HUB.onSessionOpened(session -> tracker.track(session.channel(), session, "ChatSession"));
        // The server's idle clock runs from the moment a connection is accepted, through the TLS
        // handshake and the client's login: a timeout of a few hundred milliseconds closed clients
        // that were still logging in whenever the machine was loaded (a handshake at concurrency 8 on
        // two busy cores takes that long). Two seconds is several times what that ever took.
        return new ChatServerInitializer(ChatServerConfig.builder()
                .heartbeatInterval(Duration.ofMillis(200))
                .idleTimeout(Duration.ofSeconds(2))
                .build(), HUB);
    }

    @AfterEach
    void registryIsEmptyAgain() {
        // The client's cycle ends when it reads "BYE idle timeout"; the server's close, and with it
        // the session's removal, may still be on its way (this runs before the leak verdict's wait).
        Waits.awaitHubEmpty(HUB);
    }

    @Test
    void silentClientsAreClosedByTheIdleTimeout(ConnectionDriver driver) {
        DriverStats stats = driver.run(c -> {
            c.send("LOGIN sleepy" + c.cycle());
            c.expectLinePrefix("OK welcome");
            c.send("JOIN dormitory");
            c.expectLinePrefix("OK joined");
            // Say nothing more: heartbeats arrive, then the server gives up on us.
            c.expectLinePrefix("BYE idle timeout");
        });
        assertThat(stats.failuresByCause()).isEmpty();
    }
}
