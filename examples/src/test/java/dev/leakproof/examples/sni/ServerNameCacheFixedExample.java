package dev.leakproof.examples.sni;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.TargetServer;
import dev.leakproof.fixture.TlsFixtureServer;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fixed twin of {@link ServerNameCacheLeakExample}: the tenant front keeps the TLS contexts of
 * the 16 server names used last ({@link FixedTlsContextsByServerName}), so a name per connection
 * costs a context build, and nothing grows.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(ServerNameCacheFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 300)
public final class ServerNameCacheFixedExample {

    static TenantFrontServer server;

    @BeforeAll
    static void startServer(TlsFixtureServer fixture) {
        server = TenantFrontServer.start(new FixedTlsContextsByServerName(fixture.keyManagerFactory()));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @TargetServer
    static InetSocketAddress tenantFront() {
        return server.address();
    }

    @Test
    void clientsNameATenantAndLeave() {
        // no connection of its own: the configured cycles are driven at the tenant front, a server name each
    }
}
