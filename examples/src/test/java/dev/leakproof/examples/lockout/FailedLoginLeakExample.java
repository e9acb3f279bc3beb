package dev.leakproof.examples.lockout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leakproof.DetectConnectionLeaks;
import dev.leakproof.LeakTracker;
import dev.leakproof.ServerPipeline;
import dev.leakproof.examples.LinePipeline;
import dev.leakproof.fixture.ConnectionDriver;
import dev.leakproof.fixture.DriverStats;
import dev.leakproof.fixture.Exchange;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A leak on the error path, hit by one connection in a hundred: a login server keeps every failed
 * attempt, with its connection, in a shared registry for its lockout rule, and never lets go of it.
 * The happy path is clean, so only the 10 clients in 1,000 who mistype their password leak, and
 * Leakproof fails this test with
 * {@code 10 of 1000 connections leaked: 10 x FailedLogin, 10 x NioSocketChannel ... survived a full GC}
 * and the path from {@code FailedLogins.OF_THIS_SERVER}. {@link FailedLoginFixedExample} is its passing twin.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailedLoginLeakExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 1000, concurrency = 4)
public final class FailedLoginLeakExample {

    /** Every hundredth client (cycles 99, 199, ...) mistypes its password; the others log in. */
    static final Exchange ONE_CLIENT_IN_A_HUNDRED_MISTYPES = c -> {
        String user = "user" + c.cycle();
        boolean mistypes = c.cycle() % 100 == 99;
        c.send("LOGIN " + user + " " + (mistypes ? "pw-typo" : LoginHandler.passwordOf(user)));
        c.expectLine((mistypes ? "DENIED " : "WELCOME ") + user);
    };

    @ServerPipeline
    static ChannelInitializer<Channel> loginServer(LeakTracker tracker) {
        return LinePipeline.withHandler(() -> new LoginHandler(FailedLogins.OF_THIS_SERVER,
                attempt -> tracker.track(attempt.channel(), attempt, "FailedLogin")));
    }

    @AfterAll
    static void forgetFailedLogins() {
        FailedLogins.OF_THIS_SERVER.clear(); // the leak is the point; the next run in this JVM starts clean
    }

    @Test
    void oneClientInAHundredMistypesItsPassword(ConnectionDriver driver) {
        DriverStats stats = driver.run(ONE_CLIENT_IN_A_HUNDRED_MISTYPES);
        assertThat(stats.failuresByCause()).isEmpty();
    }
}
