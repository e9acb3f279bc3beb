package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.fixture.ConnectionDriver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.Events;

/**
 * Each verdict judges its own test: sockets a first test leaves in {@code CLOSE_WAIT} at a
 * {@code @TargetServer} fail that test, and the clean test after it passes, its verdict noting the
 * connections and descriptors it saw and did not count.
 */
class EarlierTestsLeftoversTests {

    /** A plain TCP server: it closes a connection when its peer does, or (told to leak) keeps it unread. */
    static final class PlainServer implements AutoCloseable {
        static volatile boolean closesWhenPeerCloses;
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        PlainServer() throws IOException {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket socket = listener.accept();
                        accepted.add(socket);
                        if (closesWhenPeerCloses) {
                            Thread reader = new Thread(() -> readUntilClosed(socket), "plain-server-reader");
                            reader.setDaemon(true);
                            reader.start();
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "plain-server-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void readUntilClosed(Socket socket) {
            try (socket) {
                while (socket.getInputStream().read() >= 0) {
                    // the line the client sends
                }
            } catch (IOException e) {
                // reset: closed by the try
            }
            accepted.remove(socket);
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    static PlainServer plainServer;

    static void twelveClientsConnectAndClose() throws IOException {
        for (int i = 0; i < 12; i++) {
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), plainServer.port())) {
                client.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @DetectConnectionLeaks(gracePeriod = "500ms")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class LeftoversOfAnEarlierTestTestCase {
        @BeforeAll
        static void start() throws IOException {
            plainServer = new PlainServer();
        }

        @AfterAll
        static void stop() throws IOException {
            plainServer.close();
        }

        @TargetServer
        static InetSocketAddress target() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), plainServer.port());
        }

        @Test
        @Order(1)
        void leavesSocketsInCloseWait(ConnectionDriver unusedSoNoCyclesAreDriven) throws IOException {
            PlainServer.closesWhenPeerCloses = false;
            twelveClientsConnectAndClose();
        }

        @Test
        @Order(2)
        void closesItsSockets(ConnectionDriver unusedSoNoCyclesAreDriven) throws IOException {
            PlainServer.closesWhenPeerCloses = true;
            twelveClientsConnectAndClose();
        }
    }

    @Test
    void aTestIsNotBlamedForWhatTheTestBeforeItLeft() throws IOException {
        Events tests = TestKit.tests(LeftoversOfAnEarlierTestTestCase.class);
        assertThat(TestKit.failures(tests)).as("only the first test fails").hasSize(1);
        tests.assertStatistics(s -> s.failed(1).succeeded(1));
        assertThat(TestKit.onlyFailureMessage(tests)).startsWith("12 connections still open on the server side at port "
                + plainServer.port() + " after the test: 12 in CLOSE_WAIT").contains("12 file descriptors opened during "
                + "the test are still open").contains("12 socket descriptors left open: 12 in CLOSE_WAIT (the peer closed, "
                + "this side never closed)");
        assertThat(LeftOpenSocketsTests.report(LeftoversOfAnEarlierTestTestCase.class))
                .as("the second test's verdict says what it saw and did not count")
                .contains("closesItsSockets(ConnectionDriver): 12 connections at port " + plainServer.port() + " left by "
                        + "an earlier test or the class's setup (12 x CLOSE_WAIT) were seen and not counted")
                .contains("closesItsSockets(ConnectionDriver): 12 descriptors left open by an earlier test (12 x socket, "
                        + "reported by its verdict) were seen and not counted");
    }

}
