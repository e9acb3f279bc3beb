package dev.leakproof.examples.closehook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.ResourceGrowth;
import dev.leakproof.fixture.TlsFixtureServer;
import org.junit.jupiter.api.Test;

/**
 * The fixed twin of {@link QuoteClientLeakExample}: {@link FixedQuoteClient} leaves nothing behind.
 * The library's global event loop group is started by the first client and never shut down, by
 * design; Leakproof reports it as a note, with no configuration.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(QuoteClientFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks
public final class QuoteClientFixedExample {

    @Test
    void aClientPerQuote(TlsFixtureServer server, ResourceGrowth growth) {
        growth.assertDoesNotGrow(() -> {
            try (QuoteClient quotes = FixedQuoteClient.connect(server.address(), server.trustManagerFactory())) {
                assertThat(quotes.quote("ACME")).isEqualTo("QUOTE ACME");
            }
        });
    }
}
