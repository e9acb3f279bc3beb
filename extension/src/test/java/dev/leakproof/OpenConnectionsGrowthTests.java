package dev.leakproof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.fixture.TlsFixtureServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * {@link ResourceGrowth#assertOpenConnectionsDoNotGrowWithRequests}, both ways: a client that keeps
 * the connection of every request open fails, naming the growth, and the failure is in the class's
 * report as every growth check's is; a client that closes each one passes.
 */
class OpenConnectionsGrowthTests {

    static final List<SSLSocket> KEPT = new ArrayList<>();

    /** One request: a TLS connection to the fixture's echo, a line sent and its echo read. */
    static SSLSocket request(TlsFixtureServer server) {
        try {
            SSLSocket socket = (SSLSocket) server.clientSslContext().getSocketFactory()
                    .createSocket(server.address().getAddress(), server.port());
            socket.getOutputStream().write("ping\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            while (socket.getInputStream().read() != '\n') {
                // the echo's line
            }
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void closeKept() {
        KEPT.forEach(socket -> {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        KEPT.clear();
    }

    @DetectConnectionLeaks(cycles = 4, concurrency = 2, gracePeriod = "2s", leakTrace = false)
    static class KeepsEachConnectionTestCase {
        @Test
        void requests(TlsFixtureServer server, ResourceGrowth growth) {
            growth.assertOpenConnectionsDoNotGrowWithRequests(3, 6, n -> {
                for (int i = 0; i < n; i++) {
                    KEPT.add(request(server));
                }
            });
        }

        @AfterEach
        void closeWhatTheTestKept() {
            closeKept();
        }
    }

    @DetectConnectionLeaks(cycles = 4, concurrency = 2, gracePeriod = "2s", leakTrace = false)
    static class ClosesEachConnectionTestCase {
        @Test
        void requests(TlsFixtureServer server, ResourceGrowth growth) {
            growth.assertOpenConnectionsDoNotGrowWithRequests(3, 6, n -> {
                for (int i = 0; i < n; i++) {
                    try (SSLSocket socket = request(server)) {
                        assertThat(socket.isConnected()).isTrue();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        }
    }

    @Test
    void aConnectionKeptPerRequestFailsAndIsInTheReport() throws IOException {
        Events tests = TestKit.tests(KeepsEachConnectionTestCase.class);
        tests.assertStatistics(s -> s.failed(1));
        assertThat(TestKit.onlyFailureMessage(tests))
                .startsWith("open connections grow with the number of requests: 3 open after 3 requests, 6 open after 6")
                .contains("\n  Report: ");
        String json = Files.readString(Path.of("target/leak-reports", KeepsEachConnectionTestCase.class.getName() + ".json"));
        assertThat(json).contains("open connections grow with the number of requests: 3 open after 3 requests");
    }

    @Test
    void aConnectionClosedAfterEachRequestPasses() {
        TestKit.tests(ClosesEachConnectionTestCase.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }
}
