package dev.leakproof.examples.threadlocal;

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
 * A ThreadLocal on the event loop keeps the last connection's {@link TenantSession}: one leaked
 * connection per event loop thread, so Leakproof fails this test with
 * {@code 2 of 200 connections leaked: 2 x TenantSession, 2 x NioSocketChannel survived a full GC}
 * (1 when one thread served every connection). Nothing to clear afterwards: the values go with the fixture
 * server's threads when the class ends. {@link EventLoopThreadLocalFixedExample} is its passing twin.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(EventLoopThreadLocalLeakExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 200, concurrency = 4)
public final class EventLoopThreadLocalLeakExample {

    @ServerPipeline
    static ChannelInitializer<Channel> tenantServer(LeakTracker tracker) {
        return LinePipeline.withHandler(() -> new TenantHandler(
                session -> tracker.track(session.channel(), session, "TenantSession")));
    }

    @Test
    void tenantsCheckTheirUsage(ConnectionDriver driver) {
        DriverStats stats = driver.run(c -> {
            String tenant = "tenant" + (c.cycle() % 5);
            c.send("TENANT " + tenant);
            c.expectLine("OK " + tenant);
            c.send("USAGE");
            c.expectLine("USAGE " + tenant + " 2 requests");
        });
        assertThat(stats.failuresByCause()).isEmpty();
    }
}
