package dev.leakproof.examples.adminport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.ResourceGrowth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server socket never closed after a failed bind. The service's {@link MetricsEndpoint} retries
 * its admin port while another listener holds it (the test holds it, as the previous instance of
 * the service would during a rolling restart), and each failed attempt leaves an open, unbound
 * {@code ServerSocketChannel} in the endpoint's list of listeners to close at shutdown. No
 * connection is involved: Leakproof's {@link ResourceGrowth} repeats the failed start and finds one
 * file descriptor and one server socket channel more per attempt.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am test -Dtest=MetricsPortLeakExample -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 */
// cycles: the test opens no connection, so the fixture's echo gets an automatic run after it; a short one is
// enough, since the endpoint's listeners are what this test is about.
@DetectConnectionLeaks(cycles = 100)
public final class MetricsPortLeakExample {

    /** The port's current owner: the previous instance of the service, still draining. */
    static ServerSocket previousInstance;
    /** The service's endpoint: it lives as long as the service, retrying its port. */
    static MetricsEndpoint metrics;

    @BeforeAll
    static void startService() throws IOException {
        previousInstance = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        metrics = new MetricsEndpoint(() -> "requests_total 42\n");
    }

    @AfterAll
    static void stopService() throws IOException {
        metrics.close(); // like the service's shutdown: closes every listener it kept
        previousInstance.close();
    }

    @Test
    void retryTheBusyMetricsPort(ResourceGrowth growth) {
        int port = previousInstance.getLocalPort();
        // 10 + 20 + 40 (+ 40 to confirm) attempts: a descriptor per attempt shows from the first.
        growth.withRepetitions(10, 20).assertDoesNotGrow(() -> assertThat(tryStart(port)).isFalse());
    }

    private static boolean tryStart(int port) {
        try {
            return metrics.tryStart(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
