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
 * The fixed twin of {@link MetricsPortLeakExample}: the same failed starts against
 * {@link FixedMetricsEndpoint}, which closes a listener that could not bind. Nothing grows, and the
 * test passes.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(MetricsPortFixedExample.class)).execute();
 * }</pre>
 */
// cycles: the test opens no connection, so the fixture's echo gets an automatic run after it; a short one is
// enough, since the endpoint's listeners are what this test is about.
@DetectConnectionLeaks(cycles = 100)
public final class MetricsPortFixedExample {

    /** The port's current owner: the previous instance of the service, still draining. */
    static ServerSocket previousInstance;
    /** The service's endpoint: it lives as long as the service, retrying its port. */
    static MetricsEndpoint metrics;

    @BeforeAll
    static void startService() throws IOException {
        previousInstance = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        metrics = new FixedMetricsEndpoint(() -> "requests_total 42\n");
    }

    @AfterAll
    static void stopService() throws IOException {
        metrics.close();
        previousInstance.close();
    }

    @Test
    void retryTheBusyMetricsPort(ResourceGrowth growth) {
        int port = previousInstance.getLocalPort();
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
