package dev.leakproof.examples.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.BuiltInService;
import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.ResourceGrowth;
import dev.leakproof.fixture.TlsFixtureServer;
import org.junit.jupiter.api.Test;

/**
 * Reactor Netty used with a new connection pool per request: every response is read to the end,
 * yet every request leaves its pool, and the pool its open connection. Leakproof's
 * {@link ResourceGrowth} finds one open connection more per request at the fixture server, and the
 * pools' classes growing with them.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples test -Dtest=PoolPerRequestLeakExample
 * }</pre>
 */
@DetectConnectionLeaks(service = BuiltInService.HTTP)
public final class PoolPerRequestLeakExample {

    @Test
    void fetchPrices(TlsFixtureServer server, ResourceGrowth growth) {
        PriceClient prices = PriceClient.poolPerRequest(server.trustManagerFactory());
        growth.assertDoesNotGrow(() -> assertThat(prices.fetch(server.uri("/small"))).isNotEmpty());
    }
}
