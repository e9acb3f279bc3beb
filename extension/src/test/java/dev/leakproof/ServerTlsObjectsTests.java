package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.Exchange;
import dev.leakproof.fixture.TlsFixtureServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Servers the test starts itself with the fixture's key material, judged the way such servers
 * close their TLS side: a JDK {@code HttpsServer} ends each engine inbound-done (it reads the
 * client's close_notify) but never outbound-done, so its engines are judged once their clients
 * left; one whose handler keeps every exchange is caught through them, its twin that keeps
 * nothing passes.
 */
class ServerTlsObjectsTests {

    static final int REQUESTS = 50;

    /** A JDK HTTPS server on the loopback, with the fixture's key material and a small pool. */
    static final class JdkHttpsServer implements AutoCloseable {
        /** Every exchange the keeping handler served: each holds its connection, and so its SSLEngine. */
        static final List<HttpExchange> EXCHANGES_SEEN = new CopyOnWriteArrayList<>();
        private final HttpsServer server;
        private final ExecutorService pool = Executors.newFixedThreadPool(2);

        JdkHttpsServer(SSLContext tls, boolean keepExchanges) throws IOException {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            server.createContext("/", exchange -> {
                if (keepExchanges) {
                    EXCHANGES_SEEN.add(exchange); // "for the access log, later": never removed
                }
                byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.setExecutor(pool);
            server.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
            EXCHANGES_SEEN.clear();
        }
    }

    /**
     * One HTTP/1.1 request per driven connection, keep-alive, as an HTTP client sends it; the driver then
     * closes (close_notify and the socket at once, as Netty does): the JDK server reads the close_notify
     * but cannot send its own, so its engine ends inbound-done and never outbound-done.
     */
    static final Exchange GET = c -> {
        c.send("GET /x HTTP/1.1\r\nHost: localhost\r\n\r"); // send() ends the line with the last \n
        c.expectLinePrefix("HTTP/1.1 200");
    };

    static JdkHttpsServer httpsServer;

    @DetectConnectionLeaks(cycles = REQUESTS, concurrency = 4, gracePeriod = "1s")
    static class HttpsServerKeepsExchangesTestCase {
        @BeforeAll
        static void start(TlsFixtureServer fixture) throws IOException {
            httpsServer = new JdkHttpsServer(fixture.serverSslContext(), true);
        }

        @AfterAll
        static void stop() {
            httpsServer.close();
        }

        @TargetServer
        static InetSocketAddress target() {
            return httpsServer.address();
        }

        @Test
        void requests(ConnectionDriver driver) {
            assertThat(driver.run(GET).cyclesCompleted()).isEqualTo(REQUESTS);
        }
    }

    @DetectConnectionLeaks(cycles = REQUESTS, concurrency = 4, gracePeriod = "1s")
    static class HttpsServerKeepsNothingTestCase {
        @BeforeAll
        static void start(TlsFixtureServer fixture) throws IOException {
            httpsServer = new JdkHttpsServer(fixture.serverSslContext(), false);
        }

        @AfterAll
        static void stop() {
            httpsServer.close();
        }

        @TargetServer
        static InetSocketAddress target() {
            return httpsServer.address();
        }

        @Test
        void requests(ConnectionDriver driver) {
            assertThat(driver.run(GET).cyclesCompleted()).isEqualTo(REQUESTS);
        }
    }

    // --- a server on a bare SSLEngine, thread per connection, that keeps each connection's engine.

    static final class EngineServer implements AutoCloseable {
        /** Each connection's engine, "for its statistics": kept while the connection lives, or forever. */
        static final List<SSLEngine> ENGINES = new CopyOnWriteArrayList<>();
        private final ServerSocketChannel listener;

        /** How the server ends a connection once its client closed. */
        enum Mode {
            /** Reads the socket to its end without unwrapping, closes the socket, never the engine, and keeps it. */
            NEVER_CLOSES_TLS,
            /** Reads the close_notify, answers it, closes the socket and forgets the engine. */
            CLOSES_TLS
        }

        EngineServer(SSLContext tls, Mode mode) throws IOException {
            listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread acceptor = new Thread(() -> {
                while (listener.isOpen()) {
                    try {
                        SocketChannel channel = listener.accept();
                        Thread worker = new Thread(() -> serve(tls, channel, mode), "engine-server-worker");
                        worker.setDaemon(true);
                        worker.start();
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            }, "engine-server-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void serve(SSLContext tls, SocketChannel channel, Mode mode) {
            SSLEngine engine = null;
            try (channel) {
                InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
                engine = tls.createSSLEngine(peer.getHostString(), peer.getPort());
                engine.setUseClientMode(false);
                ENGINES.add(engine);
                int packet = engine.getSession().getPacketBufferSize();
                ByteBuffer netIn = ByteBuffer.allocate(packet);
                ByteBuffer netOut = ByteBuffer.allocate(packet);
                ByteBuffer appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
                engine.beginHandshake();
                HandshakeStatus status = engine.getHandshakeStatus();
                while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
                    switch (status) {
                        case NEED_TASK -> {
                            for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                                task.run();
                            }
                            status = engine.getHandshakeStatus();
                        }
                        case NEED_WRAP -> status = wrapAndSend(engine, channel, netOut).getHandshakeStatus();
                        default -> status = unwrapOrRead(engine, channel, netIn, appIn).getHandshakeStatus();
                    }
                }
                if (mode == Mode.NEVER_CLOSES_TLS) {
                    ByteBuffer sink = ByteBuffer.allocate(4096);
                    while (channel.read(sink.clear()) >= 0) {
                        // the bytes are never unwrapped: the client's close_notify goes unread
                    }
                    return;
                }
                while (!engine.isInboundDone()) {
                    SSLEngineResult read = unwrapOrRead(engine, channel, netIn, appIn.clear());
                    if (read == null) {
                        engine.closeInbound(); // the peer left without a close_notify: JSSE complains, we close anyway
                    }
                }
                engine.closeOutbound();
                while (!engine.isOutboundDone()) {
                    wrapAndSend(engine, channel, netOut);
                }
            } catch (IOException e) {
                // the peer reset or went away
            } finally {
                if (mode == Mode.CLOSES_TLS) {
                    ENGINES.remove(engine);
                }
            }
        }

        /** Unwraps what was read; reads more when that is not a whole record. {@code null} at the end of the stream. */
        private static SSLEngineResult unwrapOrRead(SSLEngine engine, SocketChannel channel, ByteBuffer netIn,
                ByteBuffer appIn) throws IOException {
            SSLEngineResult result = engine.unwrap(netIn.flip(), appIn);
            netIn.compact();
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                    || result.getStatus() == SSLEngineResult.Status.OK && result.bytesConsumed() == 0) {
                if (channel.read(netIn) < 0) {
                    if (engine.isInboundDone()) {
                        return result;
                    }
                    try {
                        engine.closeInbound();
                    } catch (SSLException e) {
                        // truncation: the peer closed without a close_notify
                    }
                    return null;
                }
            }
            return result;
        }

        private static SSLEngineResult wrapAndSend(SSLEngine engine, SocketChannel channel, ByteBuffer netOut)
                throws IOException {
            SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), netOut.clear());
            netOut.flip();
            while (netOut.hasRemaining()) {
                channel.write(netOut);
            }
            return result;
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) listener.getLocalAddress();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            ENGINES.clear();
        }
    }

    static EngineServer engineServer;

    @DetectConnectionLeaks(cycles = 20, concurrency = 2, gracePeriod = "1s")
    static class EngineServerNeverClosesTlsTestCase {
        @BeforeAll
        static void start(TlsFixtureServer fixture) throws IOException {
            engineServer = new EngineServer(fixture.serverSslContext(), EngineServer.Mode.NEVER_CLOSES_TLS);
        }

        @AfterAll
        static void stop() throws IOException {
            engineServer.close();
        }

        @TargetServer
        static InetSocketAddress target() throws IOException {
            return engineServer.address();
        }

        @Test
        void connectAndClose(ConnectionDriver driver) {
            assertThat(driver.run(Exchange.handshakeOnly()).cyclesCompleted()).isEqualTo(20);
        }
    }

    @DetectConnectionLeaks(cycles = 20, concurrency = 2, gracePeriod = "1s")
    static class EngineServerClosesTlsTestCase {
        @BeforeAll
        static void start(TlsFixtureServer fixture) throws IOException {
            engineServer = new EngineServer(fixture.serverSslContext(), EngineServer.Mode.CLOSES_TLS);
        }

        @AfterAll
        static void stop() throws IOException {
            engineServer.close();
        }

        @TargetServer
        static InetSocketAddress target() throws IOException {
            return engineServer.address();
        }

        @Test
        void connectAndClose(ConnectionDriver driver) {
            assertThat(driver.run(Exchange.handshakeOnly()).cyclesCompleted()).isEqualTo(20);
        }
    }

    // Every connection's engine, counted once: the driver may open one more than the cycles (a probe
    // request that asks whether the server speaks HTTP).
    @Test
    void anHttpsServerThatKeepsEachExchangeIsCaughtThroughItsHalfClosedEngines() {
        Events tests = TestKit.tests(HttpsServerKeepsExchangesTestCase.class);
        assertThat(TestKit.failures(tests)).as("failures").hasSize(1);
        tests.assertThatEvents().haveExactly(1, event(test("requests"), finishedWithFailure(
                instanceOf(ConnectionLeakError.class), message(m -> m.matches("(?s)(5[01]) server-side TLS objects \\(\\1 x SSLEngineImpl\\) of \\1 handshakes "
                        + "served with the fixture's key material survived a full GC.*")
                        && m.contains("static ServerTlsObjectsTests$JdkHttpsServer.EXCHANGES_SEEN")))));
    }

    @Test
    void anHttpsServerThatKeepsNothingPasses() {
        Events tests = TestKit.tests(HttpsServerKeepsNothingTestCase.class);
        assertThat(TestKit.failures(tests)).as("failures").isEmpty();
        tests.assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void aServerThatNeverClosesTheTlsSideOfConnectionsItsClientsLeftIsCaught() {
        Events tests = TestKit.tests(EngineServerNeverClosesTlsTestCase.class);
        assertThat(TestKit.failures(tests)).as("failures").hasSize(1);
        tests.assertThatEvents().haveExactly(1, event(test("connectAndClose"), finishedWithFailure(
                instanceOf(ConnectionLeakError.class), message(m -> m.matches("(?s)The server never closed the TLS side of (2[01]) connections whose clients "
                        + "left: \\1 server-side TLS engines \\(\\1 x SSLEngineImpl\\) of \\1 handshakes.*")
                        && m.contains("static ServerTlsObjectsTests$EngineServer.ENGINES")))));
    }

    @Test
    void aServerThatClosesTheTlsSideAndForgetsTheEnginePasses() {
        Events tests = TestKit.tests(EngineServerClosesTlsTestCase.class);
        assertThat(TestKit.failures(tests)).as("failures").isEmpty();
        tests.assertStatistics(s -> s.succeeded(1).failed(0));
    }
}
