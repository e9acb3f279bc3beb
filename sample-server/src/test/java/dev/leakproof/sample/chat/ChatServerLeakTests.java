package dev.leakproof.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.LeakTracker;
import dev.leakproof.ServerPipeline;
import dev.leakproof.fixture.CloseStyle;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.ConnectionErrorKind;
import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.Exchange;
import dev.leakproof.fixture.HeldConnections;
import dev.leakproof.fixture.TlsFixtureServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chat server's leak suite: every feature is driven through thousands of TLS connections, and
 * after each test Leakproof proves that no connection left its channel, handlers, TLS engine or
 * {@link ChatSession} behind, and that the hub's registry and rooms are empty again.
 */
@DetectConnectionLeaks(cycles = 2000, concurrency = 8)
class ChatServerLeakTests {

    static final int MAX_CONNECTIONS = 64;
    static final ChatHub HUB = new ChatHub();

    @ServerPipeline
    static ChannelInitializer<Channel> chatServer(LeakTracker tracker) {
        HUB.onSessionOpened(session -> tracker.track(session.channel(), session, "ChatSession"));
        ChatServerConfig config = ChatServerConfig.builder()
                .heartbeatInterval(Duration.ofMillis(100))
                // Far beyond any test's run time, even on a loaded machine: connections held open on
                // purpose (capRejectsConnectionsWhileFull) never answer heartbeats, and an idle close
                // would free the cap in the middle of the test. The timer is still armed on every
                // connection, so its cancellation on close is still leak-checked.
                .idleTimeout(Duration.ofMinutes(5))
                .maxConnections(MAX_CONNECTIONS)
                .build();
        return new ChatServerInitializer(config, HUB);
    }

    @AfterEach
    void registryAndRoomsAreEmptyAgain(TlsFixtureServer server) {
        assertThat(server.awaitNoOpenConnections(Duration.ofSeconds(5))).as("open connections: %s", server.openConnections())
                .isTrue();
        // The fixture counts a connection closed when its channel closes; the hub forgets it in its
        // own channelInactive, which may run a moment later.
        Waits.awaitHubEmpty(HUB);
    }

    @Test
    void loginJoinPublishListAndLeave(ConnectionDriver driver) {
        DriverStats stats = driver.run(c -> {
            String name = "user" + c.cycle();
            String room = "room" + (c.cycle() % 10);
            c.send("LOGIN " + name);
            c.expectLinePrefix("OK welcome " + name);
            c.send("JOIN " + room);
            c.expectLinePrefix("OK joined " + room);
            c.send("PUB " + room + " hello");
            c.expectLinePrefix("MSG " + room + " " + name + " hello");
            c.send("MEMBERS " + room);
            assertThat(c.expectLinePrefix("MEMBERS " + room)).contains(name);
            c.send("LEAVE " + room);
            c.expectLinePrefix("OK left " + room);
        });
        assertThat(stats.failuresByCause()).isEmpty();
    }

    @Test
    void quitMakesTheServerClose(ConnectionDriver driver) {
        DriverStats stats = driver.run(500, CloseStyle.SERVER_CLOSE, c -> {
            c.send("LOGIN quitter" + c.cycle());
            c.expectLinePrefix("OK welcome");
            c.send("JOIN lobby");
            c.expectLinePrefix("OK joined lobby");
        });
        assertThat(stats.failuresByCause()).isEmpty();
    }

    @Test
    void abruptResetsWhileInRooms(ConnectionDriver driver, TlsFixtureServer server) {
        long resetsBefore = server.counts().errors(ConnectionErrorKind.CONNECTION_RESET)
                + server.counts().errors(ConnectionErrorKind.CLOSED_WITHOUT_CLOSE_NOTIFY);
        DriverStats stats = driver.run(500, CloseStyle.ABRUPT_RESET, c -> {
            c.send("LOGIN vanisher" + c.cycle());
            c.expectLinePrefix("OK welcome");
            c.send("JOIN room" + (c.cycle() % 7));
            c.expectLinePrefix("OK joined");
        });
        assertThat(stats.failuresByCause()).isEmpty();
        server.awaitNoOpenConnections(Duration.ofSeconds(5));
        long resets = server.counts().errors(ConnectionErrorKind.CONNECTION_RESET)
                + server.counts().errors(ConnectionErrorKind.CLOSED_WITHOUT_CLOSE_NOTIFY) - resetsBefore;
        assertThat(resets).isEqualTo(500);
    }

    @Test
    void handshakeAborts(ConnectionDriver driver) {
        DriverStats stats = driver.run(300, CloseStyle.HANDSHAKE_ABORT, Exchange.handshakeOnly());
        assertThat(stats.failuresByCause()).isEmpty();
    }

    @Test
    void heartbeatsAreAnsweredDuringLongerSessions(ConnectionDriver driver) {
        DriverStats stats = driver.run(100, CloseStyle.CLIENT_CLOSE, c -> {
            c.send("LOGIN beat" + c.cycle());
            c.expectLinePrefix("OK welcome");
            c.expectLine("PING"); // sent by the server after 100 ms without writing
            c.send("PONG");
        });
        assertThat(stats.failuresByCause()).isEmpty();
    }

    @Test
    void capRejectsConnectionsWhileFull(ConnectionDriver driver) {
        try (HeldConnections full = driver.open(MAX_CONNECTIONS, c -> {
            c.send("LOGIN holder" + c.cycle());
            c.expectLinePrefix("OK welcome");
        })) {
            assertThat(full.size()).isEqualTo(MAX_CONNECTIONS);
            DriverStats rejected = driver.run(200, CloseStyle.CLIENT_CLOSE, c -> c.expectLine("ERR server full"));
            assertThat(rejected.failuresByCause()).isEmpty();
            assertThat(HUB.connectionCount()).as("connections counted against the cap after 200 rejections: the %d "
                    + "held ones, none of them closed meanwhile", MAX_CONNECTIONS).isEqualTo(MAX_CONNECTIONS);
        }
    }
}
