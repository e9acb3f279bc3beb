package dev.leakproof.examples.httpsserver;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.TargetServer;
import dev.leakproof.fixture.TlsFixtureServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A JDK {@code HttpsServer} that keeps every request it served. Our order service records each
 * request in flight for its admin page and never takes it out, so each {@code HttpExchange} stays,
 * with the server's connection and TLS engine behind it, after the client has gone. The test starts
 * the service on the fixture's key material and aims the driven connections at it with
 * {@link TargetServer}; each sends an HTTP request of its own, and Leakproof finds what every
 * served connection left behind, with the static map that keeps it.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples test -Dtest=HttpsServerLeakExample
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 300)
public final class HttpsServerLeakExample {

    static OrderService service;

    @BeforeAll
    static void startService(TlsFixtureServer fixture) throws IOException {
        service = OrderService.start(fixture.serverSslContext(), new OrderHandler());
    }

    @AfterAll
    static void stopService() throws InterruptedException {
        service.close();
        OrderHandler.forgetAll(); // the leak is the point; the next run in this JVM starts clean
    }

    @TargetServer
    static InetSocketAddress orderService() {
        return service.address();
    }

    @Test
    void clientsRequestOrders() {
        // no connection of its own: the configured cycles are driven at the order service, an HTTP request each
    }
}
