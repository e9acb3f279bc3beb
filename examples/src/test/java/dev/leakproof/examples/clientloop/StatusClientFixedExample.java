package dev.leakproof.examples.clientloop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.BuiltInService;
import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.fixture.TlsFixtureServer;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * The fixed twin of {@link StatusClientLeakExample}: {@link FixedStatusClient} takes itself off
 * the list of open clients when it closes, so the loop's 300 calls leave nothing behind.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(StatusClientFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(service = BuiltInService.HTTP)
public final class StatusClientFixedExample {

    static final int CALLS = 300;

    @Test
    void checkTheStatusRepeatedly(TlsFixtureServer server) {
        SSLContext tls = server.clientSslContext();
        for (int i = 0; i < CALLS; i++) {
            try (StatusClient status = FixedStatusClient.connect(server.address(), server.hostName(), tls)) {
                assertThat(status.get("/small")).isEqualTo(200);
            }
        }
    }
}
