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
 * The fixed twin of {@link EventLoopThreadLocalLeakExample}: the same test against
 * {@link FixedTenantHandler}, which clears the ThreadLocal in a {@code finally} block. It passes.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(EventLoopThreadLocalFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 200, concurrency = 4)
public final class EventLoopThreadLocalFixedExample {

    @ServerPipeline
    static ChannelInitializer<Channel> tenantServer(LeakTracker tracker) {
        return LinePipeline.withHandler(() -> new FixedTenantHandler(
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
