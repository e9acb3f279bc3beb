package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.fixture.TlsFixtureServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Sockets left open, each told by what the kernel says of it (its TCP state by inode, or no entry at
 * all), with advice that fits: a channel left open after a failed bind is no connection's (no
 * {@code channelInactive()} advice), and the library's event loops opened once beside it are a note,
 * not the leak; a server that never closes what its peers closed leaves sockets in {@code CLOSE_WAIT}
 * and sockets whose connection the peer reset, all counted ({@code EarlierTestsLeftoversTests}: what
 * one test left is not the next test's failure).
 */
class LeftOpenSocketsTests {

    // --- a library's server channel left open after each failed bind, beside the library's event loops.

    static final List<EventLoopGroup> LIBRARY = new CopyOnWriteArrayList<>();
    static final List<Channel> FAILED_BINDS = new CopyOnWriteArrayList<>();

    /**
     * Starts "the library" (its event loops: an epoll and an eventfd each), then binds 100 server
     * channels to a port in use, as a library does that registers its channel and binds it itself
     * (Netty's bootstrap would close a failed bind's channel; a channel's own bind does not).
     */
    static void bindToAPortInUse(boolean closeTheChannel) throws IOException {
        EventLoopGroup loops = new NioEventLoopGroup(2, new DefaultThreadFactory("library-loop"));
        LIBRARY.add(loops);
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 100; i++) {
                Channel channel = new NioServerSocketChannel();
                loops.register(channel).syncUninterruptibly();
                ChannelFuture bind = channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        taken.getLocalPort())).awaitUninterruptibly();
                assertThat(bind.isSuccess()).as("the port is taken").isFalse();
                if (closeTheChannel) {
                    bind.channel().close().syncUninterruptibly(); // Netty leaves a failed bind's channel open
                } else {
                    FAILED_BINDS.add(bind.channel());
                }
            }
        }
    }

    static void stopTheLibrary() {
        FAILED_BINDS.forEach(c -> c.close().syncUninterruptibly());
        FAILED_BINDS.clear();
        LIBRARY.forEach(g -> g.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly());
        LIBRARY.clear();
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2, gracePeriod = "1s")
    static class FailedBindLeftOpenTestCase {
        @AfterAll
        static void stop() {
            stopTheLibrary();
        }

        @Test
        void bindsToAPortInUse() throws IOException {
            bindToAPortInUse(false);
        }
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2, gracePeriod = "1s")
    static class FailedBindClosedTestCase {
        @AfterAll
        static void stop() {
            stopTheLibrary();
        }

        @Test
        void bindsToAPortInUse() throws IOException {
            bindToAPortInUse(true);
        }
    }

    @Test
    void aChannelLeftOpenAfterAFailedBindFailsWithAdviceForSocketsNoConnectionOwned() throws IOException {
        String message = TestKit.onlyFailureMessage(TestKit.tests(FailedBindLeftOpenTestCase.class));
        assertThat(message).startsWith("100 file descriptors opened during the test are still open after every "
                + "connection closed (20 connections; ").contains("): 100 x socket.\n  100 socket descriptors left open: "
                + "100 with no TCP entry (never bound or connected, as a channel or socket left open after its bind or "
                + "connect failed")
                .as("the examples are leaked sockets, not the library's event loops")
                .containsPattern("For example: fd \\d+ -> socket:\\[\\d+\\] \\(no TCP entry\\), fd \\d+ -> socket:\\[\\d+\\] "
                        + "\\(no TCP entry\\), fd \\d+ -> socket:\\[\\d+\\] \\(no TCP entry\\)\\.")
                .contains("close a channel or socket when its bind or connect fails")
                .doesNotContain("channelInactive()").doesNotContain("eventpoll").doesNotContain("eventfd");
        assertThat(report(FailedBindLeftOpenTestCase.class)).as("the library's event loops, a note")
                .containsPattern("4 descriptors opened once by a library \\(event loop: 2 x eventfd, 2 x eventpoll\\), "
                        + "not per connection");
    }

    @Test
    void aChannelClosedWhenItsBindFailsPasses() {
        Events tests = TestKit.tests(FailedBindClosedTestCase.class);
        assertThat(TestKit.failures(tests)).isEmpty();
        tests.assertStatistics(s -> s.succeeded(1));
    }

    // --- a server that never closes what its peers closed: CLOSE_WAIT, and connections the peers reset.

    static ClientAndOwnServerTests.SocketServer socketServer;

    @DetectConnectionLeaks(cycles = 200, concurrency = 4, gracePeriod = "1s")
    static class ServerNeverClosesTestCase {
        @BeforeAll
        static void start(TlsFixtureServer fixture) throws IOException {
            socketServer = new ClientAndOwnServerTests.SocketServer(fixture, ClientAndOwnServerTests.SocketServer.Mode.IGNORE_PEER);
        }

        @AfterAll
        static void stop() throws IOException {
            socketServer.close();
        }

        @TargetServer
        static InetSocketAddress target() {
            return socketServer.address();
        }

        @Test
        void connectAndClose() {
        }
    }

    @DetectConnectionLeaks(cycles = 200, concurrency = 4, gracePeriod = "1s")
    static class ServerClosesTestCase {
        @BeforeAll
        static void start(TlsFixtureServer fixture) throws IOException {
            socketServer = new ClientAndOwnServerTests.SocketServer(fixture, ClientAndOwnServerTests.SocketServer.Mode.FORGET_SESSIONS);
        }

        @AfterAll
        static void stop() throws IOException {
            socketServer.close();
        }

        @TargetServer
        static InetSocketAddress target() {
            return socketServer.address();
        }

        @Test
        void connectAndClose() {
        }
    }

    @Test
    void everySocketTheServerLeftOpenIsCountedByItsState() {
        String message = TestKit.onlyFailureMessage(TestKit.tests(ServerNeverClosesTestCase.class));
        Matcher sockets = Pattern.compile("(\\d+) file descriptors opened during the test are still open after every "
                + "connection closed \\(200 connections; [^)]*\\): (\\d+) x socket\\.\n  (\\d+) socket descriptors left "
                + "open: (\\d+) in CLOSE_WAIT \\(the peer closed, this side never closed\\), (\\d+) with no TCP connection "
                + "any more \\(reset by the peer").matcher(message);
        assertThat(sockets.find()).as(message).isTrue();
        long total = Long.parseLong(sockets.group(3));
        // The server never closed the extension's own probe either: when it too was reset, it is one more.
        assertThat(total).as(message).isBetween(200L, 201L)
                .isEqualTo(Long.parseLong(sockets.group(1))).isEqualTo(Long.parseLong(sockets.group(2)))
                .isEqualTo(Long.parseLong(sockets.group(4)) + Long.parseLong(sockets.group(5)));
        assertThat(message).contains("What to do next: close each socket when its peer closes or resets it")
                .doesNotContain("bind or connect fails");
    }

    @Test
    void aServerThatClosesWhatItsPeersClosedPasses() {
        Events tests = TestKit.tests(ServerClosesTestCase.class);
        assertThat(TestKit.failures(tests)).isEmpty();
        tests.assertStatistics(s -> s.succeeded(1));
    }

    static String report(Class<?> testCase) throws IOException {
        return Files.readString(Path.of("target/leak-reports", testCase.getName() + ".json"));
    }
}
