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
 * A closed client kept by its library's long-lived core. The ACME client library (the
 * {@code acme-client} 2.3.1 jar, a dependency like any other) is used as its documentation says:
 * one {@link AcmeCore} for the application, created once and closed at shutdown, here held in a
 * static field for the test class. Each {@code core.createClient(...)} adds the client to the
 * core's close hooks, and this version's {@code client.close()} never takes it out: the core keeps
 * every closed client, with its channel, its reply handler, its cache and its close promise. The
 * server sees every connection close; only a check of what grows with the requests sees the rest.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am test -Dtest=AcmeClientLeakExample -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 */
@DetectConnectionLeaks
public final class AcmeClientLeakExample {

    /** The application's one core: it outlives every client, as in production. */
    static AcmeCore core;

    @BeforeAll
    static void startCore() {
        core = AcmeCore.create();
    }

    @AfterAll
    static void stopCore() {
        core.close(); // like an application's shutdown: closes (and forgets) every close hook, stops the event loops
    }

    @Test
    void aClientPerQuote(TlsFixtureServer server, ResourceGrowth growth) {
        AcmeClientOptions options = new AcmeClientOptions().setHost(server.hostName()).setPort(server.port())
                .setTrustManagerFactory(server.trustManagerFactory());
        growth.assertDoesNotGrow(() -> {
            try (AcmeClient quotes = core.createClient(options)) {
                assertThat(quotes.ask("QUOTE ACME")).isEqualTo("QUOTE ACME");
            }
        });
    }
}
