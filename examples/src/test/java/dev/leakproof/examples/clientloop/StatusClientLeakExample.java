package dev.leakproof.examples.clientloop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.BuiltInService;
import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.fixture.TlsFixtureServer;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A closed client kept by its library's list of open clients, in a test that calls the client in a
 * loop of its own. The fixture server plays the status service
 * ({@code service = BuiltInService.HTTP}); each of the 300 calls connects, asks for the status,
 * reads the whole response and closes, and the server sees every connection close. What stays is
 * on the client's side: each {@link StatusClient}, with its closed TLS socket, in the library's
 * static list.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples test -Dtest=StatusClientLeakExample
 * }</pre>
 */
@DetectConnectionLeaks(service = BuiltInService.HTTP)
public final class StatusClientLeakExample {

    static final int CALLS = 300;

    @AfterAll
    static void forgetLeakedClients() {
        StatusClient.forgetAll(); // the leak is the point; the next run in this JVM starts clean
    }

    @Test
    void checkTheStatusRepeatedly(TlsFixtureServer server) {
        SSLContext tls = server.clientSslContext();
        for (int i = 0; i < CALLS; i++) {
            try (StatusClient status = StatusClient.connect(server.address(), server.hostName(), tls)) {
                assertThat(status.get("/small")).isEqualTo(200);
            }
        }
    }
}
