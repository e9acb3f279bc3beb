package dev.leakproof.examples.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.BuiltInService;
import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.ResourceGrowth;
import dev.leakproof.fixture.TlsFixtureServer;
import org.junit.jupiter.api.Test;

/**
 * The fixed twin of {@link PoolPerRequestLeakExample}: one Reactor Netty client for every request,
 * exactly as its users write it. Reactor Netty starts its global event loops and connection pool
 * on first use and keeps them for the JVM's life, with an idle connection to the server: Leakproof
 * reports them as notes and passes, with no configuration.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(PoolPerRequestFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(service = BuiltInService.HTTP)
public final class PoolPerRequestFixedExample {

    @Test
    void fetchPrices(TlsFixtureServer server, ResourceGrowth growth) {
        PriceClient prices = PriceClient.shared(server.trustManagerFactory());
        growth.assertDoesNotGrow(() -> assertThat(prices.fetch(server.uri("/small"))).isNotEmpty());
    }
}
