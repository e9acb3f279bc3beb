package dev.leakproof.examples.ownserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.TargetServer;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.TlsFixtureServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fixed twin of {@link OwnServerLeakExample}: the server forgets a client when its connection
 * ends. The injected driver aims at the quote server too, and asks it for prices.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(OwnServerFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 200, concurrency = 4)
public final class OwnServerFixedExample {

    static QuoteServer server;

    @BeforeAll
    static void startServer(TlsFixtureServer fixture) throws IOException {
        server = QuoteServer.start(fixture.serverSslContext(), true);
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
    void clientsAskForPrices(ConnectionDriver driver) {
        DriverStats stats = driver.run(c -> {
            c.send("ACME");
            c.expectLine("PRICE ACME 42.00");
        });
        assertThat(stats.failuresByCause()).isEmpty();
    }
}
