package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.leakproof.fixture.TlsFixtureServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Client code and servers Leakproof did not start: a Netty client that keeps its closed connections'
 * TLS engines is caught through them (heard by the fixture's trust); one whose closed clients stay
 * reachable from a process-wide close-hook list is caught by their growth with the requests; the
 * fixed twin passes although the client's event loop group is started once and never shut down
 * (as client libraries do); a thread-per-connection {@code SSLServerSocket}
 * server that keeps each connection's session in a static map is caught by driving cycles at its
 * port, and so is one that never closes its side; their fixed twins pass.
 */
class ClientAndOwnServerTests {

    // --- a small Netty client, as a library would write it: one global event loop group, started on first use.

    static final class LineClient implements AutoCloseable {
        static final List<LineClient> CLOSE_HOOKS = new CopyOnWriteArrayList<>();
        /** Each connection's TLS engine, kept to report its cipher suite later: the engine outlives its connection. */
        static final List<SSLEngine> HANDSHAKES_SEEN = new CopyOnWriteArrayList<>();
        private static EventLoopGroup group;

        private final Channel channel;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final boolean forgetOnClose;

        @SuppressWarnings("deprecation") // NioEventLoopGroup: the one event loop group on both Netty 4.1 and 4.2
        static synchronized EventLoopGroup group() {
            if (group == null) {
                group = new NioEventLoopGroup(2);
            }
            return group;
        }

        static synchronized void shutDownGroup() {
            if (group != null) {
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
                group = null;
            }
        }

        LineClient(TlsFixtureServer server, TrustManagerFactory trust, boolean forgetOnClose, boolean keepEngine)
                throws SSLException {
            this.forgetOnClose = forgetOnClose;
            SslContext tls = SslContextBuilder.forClient().trustManager(trust).build();
            this.channel = new Bootstrap().group(group()).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            SslHandler ssl = tls.newHandler(ch.alloc(), server.hostName(), server.port());
                            if (keepEngine) {
                                HANDSHAKES_SEEN.add(ssl.engine());
                            }
                            ch.pipeline().addLast(ssl,
                                    new LineBasedFrameDecoder(1024), new StringDecoder(), new StringEncoder(),
                                    new SimpleChannelInboundHandler<String>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, String line) {
                                            lines.add(line);
                                        }
                                    });
                        }
                    }).connect(server.address()).syncUninterruptibly().channel();
            CLOSE_HOOKS.add(this); // closed on JVM exit if the user forgets
        }

        String echo(String line) throws InterruptedException {
            channel.writeAndFlush(line + "\n");
            return lines.poll(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            if (forgetOnClose) {
                CLOSE_HOOKS.remove(this);
            }
        }
    }

    /** A client that keeps each connection's TLS engine after the connection closed. */
    @DetectConnectionLeaks(gracePeriod = "1s")
    static class ClientKeepsEnginesTestCase {
        @Test
        void aClientPerRequest(TlsFixtureServer server) throws Exception {
            for (int i = 0; i < 20; i++) {
                try (LineClient client = new LineClient(server, server.trustManagerFactory(), true, true)) {
                    assertThat(client.echo("ping " + i)).isEqualTo("ping " + i);
                }
            }
        }
    }

    /**
     * A closed client kept by its close hook: Netty empties a closed channel's pipeline, so its TLS
     * engine goes, but the client object and its channel stay, one per request: class growth.
     */
    @DetectConnectionLeaks(gracePeriod = "1s")
    static class ClientKeptByItsCloseHookTestCase {
        @Test
        void aClientPerRequest(TlsFixtureServer server, ResourceGrowth growth) {
            growth.withRepetitions(5, 20).assertDoesNotGrow(() -> {
                try (LineClient client = new LineClient(server, server.trustManagerFactory(), false, false)) {
                    assertThat(client.echo("ping")).isEqualTo("ping");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @DetectConnectionLeaks(gracePeriod = "1s")
    static class ClientForgottenOnCloseTestCase {
        @Test
        void aClientPerRequest(TlsFixtureServer server, ResourceGrowth growth) {
            growth.withRepetitions(5, 20).assertDoesNotGrow(() -> {
                try (LineClient client = new LineClient(server, server.trustManagerFactory(), true, false)) {
                    assertThat(client.echo("ping")).isEqualTo("ping");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        @Test
        void andPerTest(TlsFixtureServer server) throws Exception {
            for (int i = 0; i < 20; i++) {
                try (LineClient client = new LineClient(server, server.trustManagerFactory(), true, false)) {
                    assertThat(client.echo("ping " + i)).isEqualTo("ping " + i);
                }
            }
        }
    }

    @Test
    void aClientThatKeepsItsClosedConnectionsEnginesIsCaughtThroughThem() {
        try {
            Events tests = TestKit.tests(ClientKeepsEnginesTestCase.class);
            tests.assertThatEvents().haveExactly(1, event(test("aClientPerRequest"), finishedWithFailure(
                    instanceOf(ConnectionLeakError.class), message(m -> m.startsWith("20 client TLS objects (20 x ")
                            && m.contains(") of 20 client handshakes with the fixture's certificate survived a full GC")
                            && m.contains("static ClientAndOwnServerTests$LineClient.HANDSHAKES_SEEN")
                            && m.contains("What to do next: the test itself keeps these objects")))));
        } finally {
            LineClient.HANDSHAKES_SEEN.clear();
            LineClient.shutDownGroup();
        }
    }

    @Test
    void aClosedClientKeptByACloseHookGrowsWithTheRequests() {
        try {
            Events tests = TestKit.tests(ClientKeptByItsCloseHookTestCase.class);
            tests.assertThatEvents().haveExactly(1, event(test("aClientPerRequest"), finishedWithFailure(
                    instanceOf(ConnectionLeakError.class), message(m -> m.startsWith("Each repetition of the action adds an entry to the static field "
                            + "ClientAndOwnServerTests$LineClient.CLOSE_HOOKS (a CopyOnWriteArrayList) and leaves ")
                            && m.contains("1.00 x ClientAndOwnServerTests$LineClient")
                            && m.contains("io.netty.channel.socket.nio.NioSocketChannel +20, +40")
                            && m.contains("static ClientAndOwnServerTests$LineClient.CLOSE_HOOKS")))));
        } finally {
            LineClient.CLOSE_HOOKS.clear();
            LineClient.shutDownGroup();
        }
    }

    @Test
    void aClientThatForgetsItselfOnClosePassesWithItsGlobalEventLoopStartedOnce() throws IOException {
        try {
            TestKit.run(ClientForgottenOnCloseTestCase.class).allEvents().assertThatEvents()
                    .doNotHave(event(finishedWithFailure()));
            String json = Files.readString(Path.of("target/leak-reports", ClientForgottenOnCloseTestCase.class.getName()
                    + ".json"));
            assertThat(json).contains("threads added during the warm-up of 5 and constant over the")
                    .contains("started once by this test class and still running, constant over its tests");
        } finally {
            LineClient.shutDownGroup();
        }
    }

    // --- a thread-per-connection SSLServerSocket server the test starts itself.

    static final class SocketServer implements AutoCloseable {
        static final Map<Socket, Object> SESSIONS = new ConcurrentHashMap<>();
        private final SSLServerSocket listener;
        private final Thread acceptor;

        /** How the server treats a connection. */
        enum Mode { FORGET_SESSIONS, KEEP_SESSIONS, IGNORE_PEER }

        SocketServer(TlsFixtureServer fixture, Mode mode) throws IOException {
            listener = (SSLServerSocket) fixture.serverSslContext().getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        SSLSocket socket = (SSLSocket) listener.accept();
                        Thread worker = new Thread(() -> serve(socket, mode), "socket-server-worker");
                        worker.setDaemon(true);
                        worker.start();
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            }, "socket-server-acceptor");
            acceptor.start();
        }

        private static void serve(SSLSocket socket, Mode mode) {
            SESSIONS.put(socket, new Object());
            try {
                if (mode == Mode.IGNORE_PEER) {
                    // Shakes hands, then never reads again: it never learns that the peer closed. It keeps the
                    // socket (for a reply it never sends), so no GC closes it either.
                    socket.startHandshake();
                    return;
                }
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                while (in.readLine() != null) {
                    // a line protocol; the driver only shakes hands and closes
                }
            } catch (IOException e) {
                // the peer reset or went away
            } finally {
                if (mode == Mode.FORGET_SESSIONS) {
                    SESSIONS.remove(socket);
                }
                if (mode != Mode.IGNORE_PEER) {
                    try {
                        socket.close();
                    } catch (IOException e) {
                        // closing anyway
                    }
                }
            }
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            listener.close();
            SESSIONS.keySet().forEach(s -> {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            });
            SESSIONS.clear();
        }
    }

    static SocketServer socketServer;

    @DetectConnectionLeaks(cycles = 40, concurrency = 4, gracePeriod = "1s")
    static class ServerKeepsSessionsTestCase {
        @BeforeAll
        static void start(TlsFixtureServer fixture) throws IOException {
            socketServer = new SocketServer(fixture, SocketServer.Mode.KEEP_SESSIONS);
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

    @DetectConnectionLeaks(cycles = 40, concurrency = 4, gracePeriod = "1s")
    static class ServerForgetsSessionsTestCase {
        @BeforeAll
        static void start(TlsFixtureServer fixture) throws IOException {
            socketServer = new SocketServer(fixture, SocketServer.Mode.FORGET_SESSIONS);
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

    @DetectConnectionLeaks(cycles = 10, concurrency = 2, gracePeriod = "1s")
    static class ServerNeverClosesTestCase {
        @BeforeAll
        static void start(TlsFixtureServer fixture) throws IOException {
            socketServer = new SocketServer(fixture, SocketServer.Mode.IGNORE_PEER);
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

    /** A plain TCP server that accepts, keeps each socket and never reads: every peer's close leaves CLOSE_WAIT. */
    static final class DeafServer implements AutoCloseable {
        static final List<Socket> ACCEPTED = new CopyOnWriteArrayList<>();
        private final java.net.ServerSocket listener;

        DeafServer() throws IOException {
            listener = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        ACCEPTED.add(listener.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "deaf-server-acceptor");
            acceptor.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : ACCEPTED) {
                s.close();
            }
            ACCEPTED.clear();
        }
    }

    static DeafServer deafServer;

    @DetectConnectionLeaks(gracePeriod = "500ms")
    static class PeersCloseAtADeafServerTestCase {
        @BeforeAll
        static void start() throws IOException {
            deafServer = new DeafServer();
        }

        @AfterAll
        static void stop() throws IOException {
            deafServer.close();
        }

        @TargetServer
        static InetSocketAddress target() {
            return deafServer.address();
        }

        @Test
        void clientsConnectAndClose(dev.leakproof.fixture.ConnectionDriver unusedSoNoCyclesAreDriven) throws IOException {
            for (int i = 0; i < 3; i++) {
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), deafServer.address().getPort())) {
                    client.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Test
    void aServerThatNeverClosesItsSideIsCaught() {
        Events tests = TestKit.tests(ServerNeverClosesTestCase.class);
        // JSSE answers the peer's close_notify itself, so the kernel may or may not still list the
        // socket in CLOSE_WAIT; the descriptor the server never closed is there either way.
        tests.assertThatEvents().haveExactly(1, event(test("connectAndClose"), finishedWithFailure(
                instanceOf(ConnectionLeakError.class), message(m -> m.contains("10 file descriptors opened during the "
                        + "test are still open after every connection closed (10 connections; ")))));
    }

    @Test
    void socketsLeftInCloseWaitAtTheTargetServerFail() {
        Events tests = TestKit.tests(PeersCloseAtADeafServerTestCase.class);
        tests.assertThatEvents().haveExactly(1, event(test("clientsConnectAndClose"), finishedWithFailure(
                instanceOf(ConnectionLeakError.class), message(m -> m.startsWith("3 connections still open on the server "
                        + "side at port ") && m.contains("3 in CLOSE_WAIT (the client closed its side, the server never closed)")))));
    }

    @Test
    void aServerThatKeepsEachConnectionsSessionIsCaughtByCyclesAtItsPort() {
        Events tests = TestKit.tests(ServerKeepsSessionsTestCase.class);
        tests.assertThatEvents().haveExactly(1, event(test("connectAndClose"), finishedWithFailure(
                instanceOf(ConnectionLeakError.class), message(m -> m.startsWith("40 server-side TLS objects (40 x SSLSocketImpl) of 40 handshakes served with the fixture's key material survived a full GC")
                        && m.contains("static ClientAndOwnServerTests$SocketServer.SESSIONS")))));
    }

    @Test
    void aServerThatForgetsEachSessionPasses() {
        TestKit.tests(ServerForgetsSessionsTestCase.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

}
