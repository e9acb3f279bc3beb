package dev.leakproof.examples.sni;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.TargetServer;
import dev.leakproof.fixture.TlsFixtureServer;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A TLS context cache keyed by the server name each client sends. Our tenant front server builds a
 * Netty {@code SslContext} for every new SNI name and keeps it in a static map forever. No
 * connection's own objects stay behind: the channel, the handlers and the TLS engine all go when
 * the connection closes. What stays is one cache entry per name, and every driven connection asks
 * for a name of its own ({@code c1.leakproof.test}, {@code c2.leakproof.test}, ...), as a scanner
 * or an attacker would. Leakproof measures the driven run at its checkpoints and finds a TLS
 * context more per connection, with the static map that keeps them.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples test -Dtest=ServerNameCacheLeakExample
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 300)
public final class ServerNameCacheLeakExample {

    static TenantFrontServer server;

    @BeforeAll
    static void startServer(TlsFixtureServer fixture) {
        server = TenantFrontServer.start(new TlsContextsByServerName(fixture.keyManagerFactory()));
    }

    @AfterAll
    static void stopServer() {
        server.close();
        TlsContextsByServerName.forgetAll(); // the leak is the point; the next run in this JVM starts clean
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
