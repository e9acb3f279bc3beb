package dev.leakproof.examples.closehook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.ResourceGrowth;
import dev.leakproof.fixture.TlsFixtureServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A closed client kept by the library's process-wide list of open clients. Every connection closes
 * at the server, so only a check of what grows with the requests can see it: Leakproof's
 * {@link ResourceGrowth} runs the action (connect, ask, close) repeatedly and finds one
 * {@code QuoteClient} and one Netty channel more per repetition, with the path that holds them.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples test -Dtest=QuoteClientLeakExample
 * }</pre>
 */
@DetectConnectionLeaks
public final class QuoteClientLeakExample {

    @AfterAll
    static void forgetLeakedClients() {
        QuoteClient.forgetAll(); // the leak is the point; the next run in this JVM starts clean
    }

    @Test
    void aClientPerQuote(TlsFixtureServer server, ResourceGrowth growth) {
        growth.assertDoesNotGrow(() -> {
            try (QuoteClient quotes = QuoteClient.connect(server.address(), server.trustManagerFactory())) {
                assertThat(quotes.quote("ACME")).isEqualTo("QUOTE ACME");
            }
        });
    }
}
