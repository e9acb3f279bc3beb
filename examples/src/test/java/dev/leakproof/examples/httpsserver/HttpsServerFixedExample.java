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
 * The fixed twin of {@link HttpsServerLeakExample}: the order service takes each request out of
 * its map of requests in flight when the exchange ends ({@link FixedOrderHandler}), so a served
 * connection leaves nothing behind.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(HttpsServerFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 300)
public final class HttpsServerFixedExample {

    static OrderService service;

    @BeforeAll
    static void startService(TlsFixtureServer fixture) throws IOException {
        service = OrderService.start(fixture.serverSslContext(), new FixedOrderHandler());
    }

    @AfterAll
    static void stopService() throws InterruptedException {
        service.close();
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
