package dev.leakproof.examples.facade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.ResourceGrowth;
import dev.leakproof.fixture.TlsFixtureServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A client whose public facade is collected, but whose internal connection object stays in a
 * global exit-hook list. Leakproof names the class that grows, {@code FeedClient$Connection}, not
 * the facade, and the path from the hook list to it.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples test -Dtest=FeedClientLeakExample
 * }</pre>
 */
@DetectConnectionLeaks
public final class FeedClientLeakExample {

    @AfterAll
    static void forgetLeakedHooks() {
        ExitHooks.forgetAll(); // the leak is the point; the next run in this JVM starts clean
    }

    @Test
    void aFeedPerLookup(TlsFixtureServer server, ResourceGrowth growth) {
        growth.assertDoesNotGrow(() -> {
            try (FeedClient feed = FeedClient.connect(server.address(), server.trustManagerFactory(), false)) {
                assertThat(feed.latest("ACME")).isEqualTo("LATEST ACME");
            }
        });
    }
}
