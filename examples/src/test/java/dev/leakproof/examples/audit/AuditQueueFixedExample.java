package dev.leakproof.examples.audit;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fixed twin of {@link AuditQueueLeakExample}: the same logins, with the store just as silent,
 * against {@link FixedAuditTrail}, which waits at most 200 ms for the store and then drops records
 * with a count for a while instead of queueing them. It passes.
 *
 * <pre>{@code
 * EngineTestKit.engine("junit-jupiter").selectors(selectClass(AuditQueueFixedExample.class)).execute();
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 200, concurrency = 4)
public final class AuditQueueFixedExample {

    /** The remote audit store, down for this test: it takes every record and acknowledges none. */
    static UnansweredAuditStore store;
    /** The server's audit trail: it outlives every connection, as in production. */
    static FixedAuditTrail audit;

    @ServerPipeline
    static ChannelInitializer<Channel> accountServer(LeakTracker tracker) {
        return LinePipeline.withHandler(() -> new AccountHandler(audit::record,
                session -> tracker.track(session.channel(), session, "AccountSession")));
    }

    @BeforeAll
    static void startAuditTrail() {
        store = new UnansweredAuditStore();
        audit = new FixedAuditTrail(store);
    }

    @AfterAll
    static void stopAuditTrail() throws InterruptedException {
        store.answerEverything();
        audit.close();
    }

    @Test
    void customersLogIn(ConnectionDriver driver) {
        DriverStats stats = driver.run(c -> {
            c.send("LOGIN user" + c.cycle());
            c.expectLine("WELCOME user" + c.cycle());
        });
        assertThat(stats.failuresByCause()).isEmpty();
    }
}
