package dev.leakproof.examples.lockout;

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
 * The fixed twin of {@link FailedLoginLeakExample}: the same 1,000 logins, one in a hundred
 * mistyped, against {@link FixedLoginHandler}, which forgets a failed attempt when its connection
 * closes. It passes.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailedLoginFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 1000, concurrency = 4)
public final class FailedLoginFixedExample {

    @ServerPipeline
    static ChannelInitializer<Channel> loginServer(LeakTracker tracker) {
        return LinePipeline.withHandler(() -> new FixedLoginHandler(FailedLogins.OF_THIS_SERVER,
                attempt -> tracker.track(attempt.channel(), attempt, "FailedLogin")));
    }

    @AfterAll
    static void forgetFailedLogins() {
        FailedLogins.OF_THIS_SERVER.clear();
    }

    @Test
    void oneClientInAHundredMistypesItsPassword(ConnectionDriver driver) {
        DriverStats stats = driver.run(FailedLoginLeakExample.ONE_CLIENT_IN_A_HUNDRED_MISTYPES);
        assertThat(stats.failuresByCause()).isEmpty();
    }
}
