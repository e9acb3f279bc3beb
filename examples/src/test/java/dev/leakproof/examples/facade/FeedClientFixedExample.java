package dev.leakproof.examples.facade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.ResourceGrowth;
import dev.leakproof.fixture.TlsFixtureServer;
import org.junit.jupiter.api.Test;

/**
 * The fixed twin of {@link FeedClientLeakExample}: the connection unregisters its exit hook on close.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(FeedClientFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks
public final class FeedClientFixedExample {

    @Test
    void aFeedPerLookup(TlsFixtureServer server, ResourceGrowth growth) {
        growth.assertDoesNotGrow(() -> {
            try (FeedClient feed = FeedClient.connect(server.address(), server.trustManagerFactory(), true)) {
                assertThat(feed.latest("ACME")).isEqualTo("LATEST ACME");
            }
        });
    }
}
