package dev.leakproof.examples.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.client.AcmeClient;
import com.acme.client.AcmeClientOptions;
import com.acme.client.AcmeCore;
import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.ResourceGrowth;
import dev.leakproof.fixture.TlsFixtureServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fixed twin of {@link AcmeClientLeakExample}, with the workaround a user applies while the
 * library's own fix is not out: after {@code close()}, {@code core.removeCloseHook(client)}, the
 * library's public API for what its {@code close()} forgets. Nothing grows, and the test passes.
 * (Sharing one client for all requests, as the library recommends, works too.)
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(AcmeClientFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks
public final class AcmeClientFixedExample {

    /** The application's one core: it outlives every client, as in production. */
    static AcmeCore core;

    @BeforeAll
    static void startCore() {
        core = AcmeCore.create();
    }

    @AfterAll
    static void stopCore() {
        core.close();
    }

    @Test
    void aClientPerQuote(TlsFixtureServer server, ResourceGrowth growth) {
        AcmeClientOptions options = new AcmeClientOptions().setHost(server.hostName()).setPort(server.port())
                .setTrustManagerFactory(server.trustManagerFactory());
        growth.assertDoesNotGrow(() -> {
            AcmeClient quotes = core.createClient(options);
            try {
                assertThat(quotes.ask("QUOTE ACME")).isEqualTo("QUOTE ACME");
            } finally {
                quotes.close();
                core.removeCloseHook(quotes); // THE FIX: the workaround for acme-client 2.3.1's close()
            }
        });
    }
}
