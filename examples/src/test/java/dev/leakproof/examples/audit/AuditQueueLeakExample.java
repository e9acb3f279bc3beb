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
 * A queue behind a blocked executor. The account service hands an audit record of every login,
 * holding the customer's session, to its {@link AuditTrail}: one writer thread,
 * {@code audit-writer}, in front of the remote audit store. The store stops answering, the writer
 * waits for it without a bound, and every later record waits in the executor's queue without a
 * bound: each connection's session and channel stay alive after the connection closed, one more
 * per login. Leakproof finds every connection's objects alive, held by the writer thread's queue.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am test -Dtest=AuditQueueLeakExample -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 */
@DetectConnectionLeaks(cycles = 200, concurrency = 4)
public final class AuditQueueLeakExample {

    /** The remote audit store, down for this test: it takes every record and acknowledges none. */
    static UnansweredAuditStore store;
    /** The server's audit trail: it outlives every connection, as in production. */
    static AuditTrail audit;

    @ServerPipeline
    static ChannelInitializer<Channel> accountServer(LeakTracker tracker) {
        return LinePipeline.withHandler(() -> new AccountHandler(audit::record,
                session -> tracker.track(session.channel(), session, "AccountSession")));
    }

    @BeforeAll
    static void startAuditTrail() {
        store = new UnansweredAuditStore();
        audit = new AuditTrail(store); // before the first connection; read per connection above
    }

    @AfterAll
    static void stopAuditTrail() throws InterruptedException {
        store.answerEverything(); // the store comes back, and the blocked writer returns
        audit.close();            // like a server shutdown: drops the queue and ends audit-writer
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
