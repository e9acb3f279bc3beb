package dev.leakproof.examples.certrotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.LeakTracker;
import dev.leakproof.ServerPipeline;
import dev.leakproof.examples.LinePipeline;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import org.junit.jupiter.api.Test;

/**
 * The fixed twin of {@link CertificateRotationLeakExample}: the same test against
 * {@link FixedTlsConnectionHandler}, which unsubscribes the connection in {@code channelInactive}.
 * It passes.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(CertificateRotationFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 200, concurrency = 4)
public final class CertificateRotationFixedExample {

    @ServerPipeline
    static ChannelInitializer<Channel> tlsServer(LeakTracker tracker) {
        return LinePipeline.withHandler(() -> new FixedTlsConnectionHandler(
                connection -> tracker.track(connection.channel(), connection, "TlsConnection")));
    }
    @Test
    void clientsConnectPingAndLeave(ConnectionDriver driver) {
        DriverStats stats = driver.run(c -> {
            c.expectLinePrefix("READY TLS");
            c.send("PING");
            c.expectLine("PONG");
        });
        assertThat(stats.failuresByCause()).isEmpty();
    }
}
