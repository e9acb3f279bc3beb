package dev.leakproof.examples.ownserver;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.TargetServer;
import dev.leakproof.fixture.TlsFixtureServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server Leakproof did not start: the test starts its own {@link QuoteServer} with the fixture's
 * key material, and {@link TargetServer} aims the automatic cycles at it. Each server-side
 * SSLSocket is heard through that key material; the ones the server keeps after their connection
 * closed fail the test, with the static map that keeps them.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples test -Dtest=OwnServerLeakExample
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 200, concurrency = 4)
public final class OwnServerLeakExample {

    static QuoteServer server;

    @BeforeAll
    static void startServer(TlsFixtureServer fixture) throws IOException {
        server = QuoteServer.start(fixture.serverSslContext(), false);
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    @TargetServer
    static InetSocketAddress quoteServer() {
        return server.address();
    }

    @Test
    void clientsConnectAndLeave() {
        // no connection of its own: the configured cycles are driven at the quote server
    }
}
