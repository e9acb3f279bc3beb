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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The TLS wrapper leak story in Java: each TLS connection is wrapped in a {@link TlsConnection} (holding its
 * ChannelHandlerContext and SSLEngine) and subscribed to a global certificate-rotation notifier,
 * and never unsubscribed. Leakproof fails this test with
 * {@code 200 of 200 connections leaked: 200 x TlsConnection, 200 x TlsConnectionHandler, ...}.
 * {@link CertificateRotationFixedExample} is its passing twin.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(CertificateRotationLeakExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 200, concurrency = 4)
public final class CertificateRotationLeakExample {

    @ServerPipeline
    static ChannelInitializer<Channel> tlsServer(LeakTracker tracker) {
        return LinePipeline.withHandler(() -> new TlsConnectionHandler(
                connection -> tracker.track(connection.channel(), connection, "TlsConnection")));
    }

    @AfterAll
    static void dropLeakedListeners() {
        CertificateRotationNotifier.global().removeAllListeners(); // the next run in this JVM starts clean
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
